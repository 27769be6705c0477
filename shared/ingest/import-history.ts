import { RejectionCode, type TimeWindow } from '../../events/validate.ts';
import type { Pricer } from '../metrics/counters.ts';
import type { MetricsStore } from '../store/port.ts';
import type { Governance } from './admission.ts';
import { type BatchReport, countBatch, type IncomingEvent, RecordOutcome } from './count-batch.ts';

/** Events counted per call to the store, like one SQS batch. */
const BATCH = 100;

/** What an import did, by outcome, with the lines that were quarantined. */
export interface ImportReport {
  readonly lines: number;
  readonly counted: number;
  readonly duplicates: number;
  readonly conflicts: number;
  readonly quarantined: number;
  readonly failed: number;
  /** The first quarantined lines, for the person running the import. */
  readonly problems: ReadonlyArray<{
    readonly line: number;
    readonly code: string;
    readonly message: string;
  }>;
}

const MAX_PROBLEMS = 20;

/**
 * One line of an import file: a PutEvents entry (`Source`, `DetailType`, `Detail` as a string or an
 * object) or an event as EventBridge delivers and archives it (`source`, `detail-type`, `detail`).
 */
export const incomingFromLine = (text: string, lineNumber: number): IncomingEvent => {
  const ref = `line-${lineNumber}`;
  const refused = (message: string): IncomingEvent => ({
    ref,
    id: `import-${lineNumber}`,
    body: text,
    rejection: { code: RejectionCode.invalidEnvelope, message: `line ${lineNumber}: ${message}` },
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return {
      ...refused(''),
      rejection: {
        code: RejectionCode.invalidJson,
        message: `line ${lineNumber} is not JSON: ${(error as Error).message}`,
      },
    };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    return refused('expected a JSON object');
  const line = json as Record<string, unknown>;
  const source = line.Source ?? line.source;
  const detailType = line.DetailType ?? line['detail-type'];
  let detail = line.Detail ?? line.detail;
  if (typeof detail === 'string') {
    try {
      detail = JSON.parse(detail);
    } catch {
      return refused('Detail is not JSON');
    }
  }
  if (typeof source !== 'string') return refused('Source (or source) is missing');
  return { ref, id: `import-${lineNumber}`, detailType, source, detail, body: text };
};

/**
 * Loads history through the same exactly-once path as live events (`yardstick import`), exempt from
 * the lateness window but from nothing else: validation, governance, dedupe and quarantine all apply.
 * The store given should keep its dedupe markers for good (`markerTtlDays: null`), so an import can be
 * re-run, or overlap live traffic, and nothing counts twice.
 *
 * @example
 * ```ts
 * const report = await importHistory(readFileSync('history.jsonl', 'utf8').split('\n'), { store, price, nowMs: Date.now() });
 * ```
 */
export const importHistory = async (
  lines: readonly string[],
  deps: {
    readonly store: MetricsStore;
    readonly price: Pricer;
    readonly nowMs: number;
    readonly governance?: Governance;
    readonly onProgress?: (done: number, total: number) => void;
  },
): Promise<ImportReport> => {
  const incoming = lines
    .map((text, i) => ({ text: text.trim(), lineNumber: i + 1 }))
    .filter(({ text }) => text !== '')
    .map(({ text, lineNumber }) => incomingFromLine(text, lineNumber));
  const window: TimeWindow = { nowMs: deps.nowMs, latenessMs: 0, importing: true };
  const totals = { counted: 0, duplicates: 0, conflicts: 0, quarantined: 0, failed: 0 };
  const problems: Array<{ line: number; code: string; message: string }> = [];
  for (let i = 0; i < incoming.length; i += BATCH) {
    const batch = incoming.slice(i, i + BATCH);
    const report: BatchReport = await countBatch(batch, {
      store: deps.store,
      price: deps.price,
      window,
      ...(deps.governance ? { governance: deps.governance } : {}),
    });
    for (const outcome of report.outcomes.values()) {
      if (outcome === RecordOutcome.counted) totals.counted++;
      else if (outcome === RecordOutcome.duplicate) totals.duplicates++;
      else if (outcome === RecordOutcome.conflict) totals.conflicts++;
      else if (outcome === RecordOutcome.quarantined) totals.quarantined++;
      else totals.failed++;
    }
    for (const item of batch) {
      if (report.outcomes.get(item.ref) !== RecordOutcome.quarantined || problems.length >= MAX_PROBLEMS)
        continue;
      const rejection = report.rejections.get(item.ref);
      problems.push({
        line: Number(item.ref.slice('line-'.length)),
        code: rejection?.code ?? 'quarantined',
        message: rejection?.message ?? '',
      });
    }
    deps.onProgress?.(Math.min(i + BATCH, incoming.length), incoming.length);
  }
  return { lines: incoming.length, ...totals, problems };
};
