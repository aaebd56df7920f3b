// Collects reconcile findings: complete counts, the first RECONCILE_FINDINGS_MAX findings in full.
import {
  RECONCILE_FINDINGS_MAX,
  reconcileKind,
  type ReconcileFinding,
  type ReconcileKind,
  type ReconcileReport,
} from '@fieldvault/shared/schemas';

/** A report under construction. */
export class ReportBuilder {
  objects = 0;
  records = 0;
  repairErrors = 0;
  private readonly counts = Object.fromEntries(reconcileKind.options.map((k) => [k, 0])) as Record<
    ReconcileKind,
    number
  >;
  private readonly findings: ReconcileFinding[] = [];
  private truncated = false;

  constructor(
    private readonly orgId: string | null,
    private readonly repair: boolean,
  ) {}

  /** Count a finding and keep it while there is room. */
  add(
    f: Omit<ReconcileFinding, 'fileId' | 'expected' | 'actual' | 'uploadId' | 'repaired'> &
      Partial<ReconcileFinding>,
  ): ReconcileFinding {
    const finding: ReconcileFinding = {
      fileId: null,
      expected: null,
      actual: null,
      uploadId: null,
      repaired: null,
      ...f,
    };
    this.counts[finding.kind]++;
    if (this.findings.length < RECONCILE_FINDINGS_MAX) this.findings.push(finding);
    else this.truncated = true;
    return finding;
  }

  /** The finished report. */
  build(): ReconcileReport {
    return {
      orgId: this.orgId,
      repair: this.repair,
      objects: this.objects,
      records: this.records,
      counts: { ...this.counts },
      findings: this.findings,
      truncated: this.truncated,
      repairErrors: this.repairErrors,
    };
  }

  /** Counters for the job run (findings per kind, objects, records, repair errors). */
  countsForRun(): Record<string, number> {
    return {
      ...this.counts,
      objects: this.objects,
      records: this.records,
      repairErrors: this.repairErrors,
    };
  }
}
