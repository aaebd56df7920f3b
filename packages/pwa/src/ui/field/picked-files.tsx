// The files picked for the next capture: thumbnail, name and size, why one was refused, and Remove.
import { formatBytes } from '../../device/storage';
import type { SaveOutcome } from '../../capture/save-flow';
import type { DraftView } from '../hooks/use-capture';
import { CaptureThumbnail } from './capture-thumbnail';

/** Props for {@link PickedFiles}. */
export interface PickedFilesProps {
  drafts: DraftView[];
  /** The last save's refusals by draft id (refused files stay here so the type can be changed). */
  refusals: ReadonlyMap<string, string>;
  onRemove: (id: string) => void;
}

/** Nothing when no file is picked; otherwise a labelled list. */
export function PickedFiles({ drafts, refusals, onRemove }: PickedFilesProps) {
  if (drafts.length === 0) return null;
  return (
    <ul className="picked-files" aria-label="Picked files">
      {drafts.map(({ draft, thumbnail }) => {
        const refusal = refusals.get(draft.id);
        return (
          <li key={draft.id} className="picked-file" data-testid="picked-file">
            <CaptureThumbnail contentType={draft.type} image={thumbnail} />
            <div className="outbox-item__body">
              <p>
                <strong>{draft.filename}</strong> · {formatBytes(draft.size)}
              </p>
              {refusal ? <p className="form__error">{refusal}</p> : null}
            </div>
            <button type="button" onClick={() => onRemove(draft.id)}>
              Remove<span className="visually-hidden"> {draft.filename}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

/** Refusals of a save run by draft id. */
export function refusalsOf(outcomes: readonly SaveOutcome[]): Map<string, string> {
  return new Map(outcomes.flatMap((o) => (o.ok ? [] : [[o.id, o.message] as const])));
}
