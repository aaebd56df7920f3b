// Honest placeholder body for a section whose feature has not shipped yet.

/** Props for {@link NotReady}. */
export interface NotReadyProps {
  /** What the section will do, in one sentence. */
  purpose: string;
}

/** Says what the section is for and that it is not available in this release. */
export function NotReady({ purpose }: NotReadyProps) {
  return (
    <>
      <p>{purpose}</p>
      <p className="not-ready">Coming in a later release: this version does not do this yet.</p>
    </>
  );
}
