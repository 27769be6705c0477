import { DEFAULT_VARIANT } from '../../../events/schemas.ts';
import { ProducerLimits } from '../../limits.ts';
import { type Counters, emptyCounters, mergeCounters } from '../../metrics/counters.ts';
import { DistinctSketch } from '../../metrics/distinct-sketch.ts';
import { DAY_MS, dayKey, type GranularityName, hourKey, isoWeekOf } from '../../time.ts';
import { overridePosition, overrideRecordOf } from '../override-record.ts';
import {
  type AcceptedEvent,
  type AdmissionPolicy,
  type ConflictEntry,
  type CounterBucket,
  type FleetWeekEntry,
  IngestOutcome,
  type IngestOutcomeName,
  type IngestResult,
  type MetricsStore,
  type OverrideRecord,
  type PipelineCounts,
  type QuarantineEntry,
  type QuarantinePage,
  type QuarantinePageRequest,
  type WorkflowPage,
  type WorkflowRecord,
} from '../port.ts';
import { quarantineAfter, quarantinePage, quarantinePosition } from '../quarantine-page.ts';

// The fleet rollup's period, beside the granularities readBuckets serves.
const WEEK = 'week';

const copy = (counters: Counters): Counters => mergeCounters(emptyCounters(), counters);

/**
 * The buckets an event adds to: its workflow's hour, day and ISO week (the fleet rollup's period)
 * totals, and its named variant's, if any.
 */
const bucketIds = (accepted: AcceptedEvent): { totals: string[]; variant: string[] } => {
  const { workflowId, occurredAt, variant = DEFAULT_VARIANT } = accepted.event.detail;
  const ms = Date.parse(occurredAt);
  const periods = [`hour|${hourKey(ms)}`, `day|${dayKey(ms)}`, `${WEEK}|${isoWeekOf(ms)}`];
  return {
    totals: periods.map((period) => `${workflowId}|${period}`),
    variant:
      variant === DEFAULT_VARIANT
        ? []
        : periods.map((period) => `${workflowId}|variant=${variant}|${period}`),
  };
};

/**
 * The in-memory adapter of {@link MetricsStore}: the same contract as the DynamoDB adapter (the
 * store contract tests run against both), with no I/O. For unit tests of the domain and for trying
 * the pipeline without DynamoDB; nothing survives the process.
 *
 * @example
 * ```ts
 * const store = new InMemoryMetricsStore();
 * const report = await countBatch(incoming, { store, price, window });
 * ```
 */
export class InMemoryMetricsStore implements MetricsStore {
  private readonly markers = new Map<string, string>();
  private readonly buckets = new Map<string, Counters>();
  private readonly overrides = new Map<string, OverrideRecord[]>();
  private readonly quarantined = new Map<string, Map<string, QuarantineEntry>>();
  private readonly conflicts = new Map<string, ConflictEntry[]>();
  private readonly pipeline = new Map<string, PipelineCounts>();
  private readonly registry = new Map<
    string,
    WorkflowRecord & { reasonCodes: Set<string>; variants: Set<string> }
  >();
  private readonly admittedPerDay = new Map<string, number>();

  constructor(
    private readonly options: {
      readonly reasonCodesPerWorkflow?: number;
      readonly variantsPerWorkflow?: number;
    } = {},
  ) {}

  async ingest(events: readonly AcceptedEvent[]): Promise<IngestResult> {
    const outcomes = new Map<string, IngestOutcomeName>();
    const storedFingerprints = new Map<string, string>();
    for (const accepted of events) {
      const { workflowId, eventId } = accepted.event.detail;
      const marker = `${workflowId}\u0000${eventId}`;
      const stored = this.markers.get(marker);
      const keys = bucketIds(accepted);
      if (stored !== undefined) {
        const duplicate = stored === accepted.fingerprint;
        outcomes.set(accepted.ref, duplicate ? IngestOutcome.duplicate : IngestOutcome.conflict);
        if (!duplicate) storedFingerprints.set(accepted.ref, stored);
        // Users of an identical re-send merge again (idempotent), as the DynamoDB adapter does.
        if (duplicate) for (const key of keys.totals) this.bucket(key).users.merge(accepted.delta.users);
        continue;
      }
      this.markers.set(marker, accepted.fingerprint);
      for (const key of keys.totals) mergeCounters(this.bucket(key), accepted.delta);
      // A variant's buckets count everything but distinct users, as the DynamoDB adapter's do.
      const withoutUsers = { ...accepted.delta, users: new DistinctSketch() };
      for (const key of keys.variant) mergeCounters(this.bucket(key), withoutUsers);
      if (accepted.event.kind === 'ai.workflow.override') this.recordOverride(accepted);
      outcomes.set(accepted.ref, IngestOutcome.counted);
    }
    return { outcomes, failures: new Map(), refused: new Map(), storedFingerprints };
  }

  async readBuckets(
    workflowId: string,
    granularity: GranularityName,
    fromKey: string,
    toKeyExclusive: string,
    variant?: string,
  ): Promise<CounterBucket[]> {
    const prefix = `${workflowId}|${variant === undefined ? '' : `variant=${variant}|`}${granularity}|`;
    return [...this.buckets.entries()]
      .filter(([id]) => id.startsWith(prefix))
      .map(([id, counters]) => ({ key: id.slice(prefix.length), counters: copy(counters) }))
      .filter(({ key }) => key >= fromKey && key < toKeyExclusive)
      .sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  async readFleetWeek(week: string): Promise<FleetWeekEntry[]> {
    const entries = new Map<string, { counters: Counters; variants: Map<string, Counters> }>();
    for (const [id, counters] of this.buckets) {
      const parts = id.split('|');
      const [workflowId = '', second = '', third = '', fourth = ''] = parts;
      const isTotals = parts.length === 3 && second === WEEK && third === week;
      const isVariant = parts.length === 4 && third === WEEK && fourth === week;
      if (!isTotals && !isVariant) continue;
      const entry = entries.get(workflowId) ?? { counters: emptyCounters(), variants: new Map() };
      entries.set(workflowId, entry);
      if (isTotals) mergeCounters(entry.counters, counters);
      else entry.variants.set(second.slice('variant='.length), copy(counters));
    }
    return [...entries.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([workflowId, { counters, variants }]) => ({ workflowId, counters, variants }));
  }

  async readDayTotals(
    workflowIds: readonly string[],
    fromDay: string,
    toDayExclusive: string,
  ): Promise<Map<string, Counters>> {
    const totals = new Map<string, Counters>();
    for (const workflowId of workflowIds) {
      const total = emptyCounters();
      for (let ms = Date.parse(fromDay); dayKey(ms) < toDayExclusive; ms += DAY_MS) {
        const day = this.buckets.get(`${workflowId}|day|${dayKey(ms)}`);
        if (day) mergeCounters(total, day);
      }
      totals.set(workflowId, total);
    }
    return totals;
  }

  async admitWorkflows(
    workflowIds: readonly string[],
    policy: AdmissionPolicy,
  ): Promise<ReadonlySet<string>> {
    const refused = new Set<string>();
    for (const workflowId of new Set(workflowIds)) {
      const known = this.registry.get(workflowId);
      if (known) {
        this.registry.set(workflowId, { ...known, lastSeenAt: policy.nowIso });
        continue;
      }
      if (!policy.catalogued(workflowId)) {
        const admitted = this.admittedPerDay.get(policy.day) ?? 0;
        if (admitted >= policy.newWorkflowsPerDay) {
          refused.add(workflowId);
          continue;
        }
        this.admittedPerDay.set(policy.day, admitted + 1);
      }
      this.registry.set(workflowId, {
        workflowId,
        firstSeenAt: policy.nowIso,
        lastSeenAt: policy.nowIso,
        reasonCodes: new Set(),
        variants: new Set(),
      });
    }
    return refused;
  }

  async keptReasonCodes(workflowId: string, codes: readonly string[]): Promise<ReadonlySet<string>> {
    const max = this.options.reasonCodesPerWorkflow ?? ProducerLimits.reasonCodesPerWorkflow;
    const known = this.registry.get(workflowId);
    if (!known) return new Set();
    for (const code of codes) if (known.reasonCodes.size < max) known.reasonCodes.add(code);
    return new Set(codes.filter((code) => known.reasonCodes.has(code)));
  }

  async keptVariants(workflowId: string, variants: readonly string[]): Promise<ReadonlySet<string>> {
    const max = this.options.variantsPerWorkflow ?? ProducerLimits.variantsPerWorkflow;
    const known = this.registry.get(workflowId);
    if (!known) return new Set();
    for (const variant of variants) if (known.variants.size < max) known.variants.add(variant);
    return new Set(variants.filter((variant) => known.variants.has(variant)));
  }

  async variantsOf(workflowId: string): Promise<string[]> {
    return [...(this.registry.get(workflowId)?.variants ?? [])].sort();
  }

  async listWorkflows(afterWorkflowId: string | undefined, limit: number): Promise<WorkflowPage> {
    const ids = [...this.registry.keys()]
      .filter((id) => afterWorkflowId === undefined || id > afterWorkflowId)
      .sort();
    const records = ids.slice(0, limit).map((id) => {
      const { workflowId, firstSeenAt, lastSeenAt } = this.registry.get(id) as WorkflowRecord;
      return { workflowId, firstSeenAt, lastSeenAt };
    });
    const last = records.at(-1)?.workflowId;
    return { records, ...(ids.length > limit && last ? { lastWorkflowId: last } : {}) };
  }

  async quarantine(entries: readonly QuarantineEntry[]): Promise<void> {
    for (const entry of entries) {
      const day = entry.receivedAt.slice(0, 10);
      const onDay = this.quarantined.get(day) ?? new Map<string, QuarantineEntry>();
      // The first arrival is kept, as the DynamoDB adapter's once-per-id marker does.
      if (!onDay.has(entry.id)) onDay.set(entry.id, entry);
      this.quarantined.set(day, onDay);
    }
  }

  async recordConflicts(entries: readonly ConflictEntry[]): Promise<void> {
    for (const entry of entries) {
      this.conflicts.set(entry.workflowId, [...(this.conflicts.get(entry.workflowId) ?? []), entry]);
    }
  }

  async recordPipeline(day: string, counts: PipelineCounts): Promise<void> {
    const current = this.pipeline.get(day) ?? {
      received: 0,
      counted: 0,
      duplicates: 0,
      conflicts: 0,
      quarantined: 0,
    };
    this.pipeline.set(day, {
      received: current.received + counts.received,
      counted: current.counted + counts.counted,
      duplicates: current.duplicates + counts.duplicates,
      conflicts: current.conflicts + counts.conflicts,
      quarantined: current.quarantined + counts.quarantined,
    });
  }

  async listOverrides(
    workflowId: string,
    fromIso: string,
    toIso: string,
    limit: number,
  ): Promise<OverrideRecord[]> {
    return (this.overrides.get(workflowId) ?? [])
      .filter((o) => overridePosition(o) >= fromIso && overridePosition(o) < toIso)
      .sort((a, b) => (overridePosition(a) < overridePosition(b) ? -1 : 1))
      .slice(0, limit);
  }

  async listQuarantine(day: string, page: QuarantinePageRequest): Promise<QuarantinePage> {
    const after = quarantineAfter(page);
    const newestFirst = [...(this.quarantined.get(day)?.values() ?? [])]
      .map((entry) => ({ entry, position: quarantinePosition(entry) }))
      .filter(({ position }) => after === undefined || position < after)
      .sort((a, b) => (a.position < b.position ? 1 : -1))
      .map(({ entry }) => entry);
    return quarantinePage(newestFirst.slice(0, page.limit + 1), page.limit);
  }

  async listConflicts(workflowId: string, limit: number): Promise<ConflictEntry[]> {
    return (this.conflicts.get(workflowId) ?? []).slice(0, limit);
  }

  async readPipeline(fromDay: string, toDayExclusive: string) {
    return [...this.pipeline.entries()]
      .filter(([day]) => day >= fromDay && day < toDayExclusive)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([day, counts]) => ({ day, ...counts }));
  }

  private bucket(id: string): Counters {
    let counters = this.buckets.get(id);
    if (!counters) {
      counters = emptyCounters();
      this.buckets.set(id, counters);
    }
    return counters;
  }

  private recordOverride(accepted: AcceptedEvent) {
    if (accepted.event.kind !== 'ai.workflow.override') return;
    const { detail, source } = accepted.event;
    const record = overrideRecordOf(detail, source);
    this.overrides.set(detail.workflowId, [...(this.overrides.get(detail.workflowId) ?? []), record]);
  }
}
