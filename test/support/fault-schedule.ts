import { around, pick, seededRandom } from '../../infra/local/demo/random.ts';
import { HOUR_MS } from '../../shared/time.ts';
import { recentHour } from './local-mode.ts';

/**
 * Seeded schedules for the fault-injection property test: a few valid events over a few workflows
 * and hours, the versions each eventId is sent with (harmless re-spellings and conflicting re-sends)
 * and the SQS messages that carry them (duplicates included). Every event keeps the facts it was
 * built from, so the expected totals are computed from the facts, never from what the code parsed.
 */

export const Kind = {
  usage: 'ai.workflow.usage',
  outcome: 'ai.workflow.outcome',
  override: 'ai.workflow.override',
} as const;
export type KindName = (typeof Kind)[keyof typeof Kind];

/** What one version of an event says, in exact integer units. */
export interface Facts {
  readonly kind: KindName;
  readonly status?: 'succeeded' | 'failed' | 'abandoned';
  readonly decision?: 'accepted' | 'edited' | 'rejected' | 'escalated';
  readonly reasonCode?: string;
  readonly valueMicros?: number;
  readonly costMicros?: number;
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  readonly cachedInputTokens?: number;
  readonly userId?: string;
  readonly occurredMs: number;
}

/** One version of an event: its facts, and the detail a producer sent for them. */
export interface Version {
  readonly facts: Facts;
  readonly detail: Record<string, unknown>;
}

export interface ScheduledEvent {
  readonly workflowId: string;
  readonly eventId: string;
  /** Versions with different facts conflict; a re-spelling shares its facts with the original. */
  readonly versions: readonly Version[];
}

export interface ScheduledMessage {
  readonly messageId: string;
  readonly event: number;
  readonly version: number;
}

export interface Schedule {
  readonly seed: string;
  readonly workflows: readonly string[];
  readonly events: readonly ScheduledEvent[];
  readonly messages: readonly ScheduledMessage[];
}

/** A model no price table lists, so usage without costUsd is counted as unpriced. */
export const UNPRICED_MODEL = 'fault-schedule-model';
const STATUSES = ['succeeded', 'failed', 'abandoned'] as const;
const DECISIONS = ['accepted', 'edited', 'rejected', 'escalated'] as const;
const REASONS = ['amount_mismatch', 'tone', 'wrong_vendor', 'hallucination'] as const;

const randomFacts = (random: () => number, occurredMs: number, users: readonly string[]): Facts => {
  const kind = pick(random, Object.values(Kind));
  const userId = random() < 0.6 ? pick(random, users) : undefined;
  const base = { kind, occurredMs, ...(userId ? { userId } : {}) };
  if (kind === Kind.outcome) {
    return {
      ...base,
      status: pick(random, STATUSES),
      ...(random() < 0.7 ? { valueMicros: Math.floor(random() * 50_000_000) } : {}),
    };
  }
  if (kind === Kind.override) {
    return {
      ...base,
      decision: pick(random, DECISIONS),
      ...(random() < 0.7 ? { reasonCode: pick(random, REASONS) } : {}),
    };
  }
  return {
    ...base,
    inputTokens: around(random, 2000, 0.9),
    outputTokens: around(random, 300, 0.9),
    ...(random() < 0.5 ? { cachedInputTokens: around(random, 500, 0.9) } : {}),
    ...(random() < 0.7 ? { costMicros: Math.floor(random() * 20_000) } : {}),
  };
};

/** Another event's content under the same eventId: at least one counted figure differs. */
const conflictingFacts = (random: () => number, facts: Facts, users: readonly string[]): Facts => {
  const changed = randomFacts(random, facts.occurredMs, users);
  const same = JSON.stringify(changed) === JSON.stringify(facts);
  return same ? { ...changed, userId: `${facts.userId ?? 'u'}-other` } : changed;
};

/** The instant as a producer might spell it: `.000Z`, `Z` without a fraction, or extra zeros. */
const spell = (ms: number, spelling: number): string => {
  const iso = new Date(ms).toISOString();
  if (spelling === 1) return iso.replace(/\.?0*Z$/, 'Z').replace(/\.(\d*?)0+Z$/, '.$1Z');
  if (spelling === 2) return iso.replace('Z', '000Z');
  return iso;
};

const detailOf = (
  workflowId: string,
  eventId: string,
  facts: Facts,
  spelling: number,
): Record<string, unknown> => {
  const common = {
    schemaVersion: 1,
    eventId,
    workflowId,
    occurredAt: spell(facts.occurredMs, spelling),
    ...(facts.userId ? { userId: facts.userId } : {}),
  };
  if (facts.kind === Kind.outcome) {
    return {
      ...common,
      status: facts.status,
      ...(facts.valueMicros !== undefined ? { valueUsd: facts.valueMicros / 1e6 } : {}),
    };
  }
  if (facts.kind === Kind.override) {
    return {
      ...common,
      decision: facts.decision,
      ...(facts.reasonCode ? { reasonCode: facts.reasonCode } : {}),
    };
  }
  return {
    ...common,
    model: UNPRICED_MODEL,
    inputTokens: facts.inputTokens,
    outputTokens: facts.outputTokens,
    latencyMs: 100,
    ...(facts.cachedInputTokens !== undefined ? { cachedInputTokens: facts.cachedInputTokens } : {}),
    ...(facts.costMicros !== undefined ? { costUsd: facts.costMicros / 1e6 } : {}),
  };
};

/**
 * The schedule a seed stands for: the same seed always gives the same events and messages.
 *
 * @example
 * ```ts
 * const schedule = generateSchedule('1234:17');
 * schedule.messages.length; // every delivery SQS will be asked to make, duplicates included
 * ```
 */
export const generateSchedule = (seed: string, nowMs = Date.now()): Schedule => {
  const random = seededRandom('fault-schedule', seed);
  const tag = seed.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
  const workflows = Array.from({ length: 1 + Math.floor(random() * 2) }, (_, i) => `fs-${tag}-w${i}`);
  const hours = Array.from(
    { length: 1 + Math.floor(random() * 2) },
    (_, i) => recentHour(nowMs) - i * HOUR_MS,
  );
  const users = Array.from({ length: 1 + Math.floor(random() * 5) }, (_, i) => `u-${tag}-${i}`);
  const events: ScheduledEvent[] = Array.from({ length: 2 + Math.floor(random() * 4) }, (_, i) => {
    const workflowId = pick(random, workflows);
    const eventId = `e${i}`;
    // Milliseconds are often zero so that the instant has several spellings.
    const occurredMs = pick(random, hours) + Math.floor(random() * 3600) * 1000 + (random() < 0.5 ? 0 : 250);
    const facts = randomFacts(random, occurredMs, users);
    const versions: Version[] = [{ facts, detail: detailOf(workflowId, eventId, facts, 0) }];
    if (random() < 0.3)
      versions.push({ facts, detail: detailOf(workflowId, eventId, facts, 1 + Math.floor(random() * 2)) });
    if (random() < 0.25) {
      const other = conflictingFacts(random, facts, users);
      versions.push({ facts: other, detail: detailOf(workflowId, eventId, other, 0) });
    }
    return { workflowId, eventId, versions };
  });
  const messages: ScheduledMessage[] = [];
  events.forEach((event, e) => {
    event.versions.forEach((_, v) => {
      // SQS is at-least-once and producers re-send: some versions travel in several messages.
      const copies = random() < 0.3 ? 2 + Math.floor(random() * 2) : 1;
      for (let c = 0; c < copies; c++)
        messages.push({ messageId: `${tag}-m${messages.length}`, event: e, version: v });
    });
  });
  return { seed, workflows, events, messages };
};
