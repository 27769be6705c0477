import { DetailType } from '../../../events/detail-types.ts';
import type { DemoEntry } from './fleet.ts';

const DAY_MS = 86_400_000;

/**
 * Events a real fleet also sends: re-sends of the same eventId (which must count once), one eventId
 * reused with different content (counted once, reported as a conflict) and invalid events of each
 * kind (quarantined with their reason while their batch is counted).
 */
export const demoMistakes = (entries: readonly DemoEntry[], nowMs: number): DemoEntry[] => {
  const resent = entries.filter((_, i) => i % 97 === 0);
  const template = entries.find((e) => e.DetailType === DetailType.outcome) ?? entries[0];
  if (!template) return [];
  const base = template.Detail;
  const invalid = (
    suffix: string,
    detail: Record<string, unknown>,
    detailType: string = DetailType.outcome,
  ) => ({
    Source: template.Source,
    DetailType: detailType,
    Detail: { ...base, eventId: `demo.invalid.${suffix}`, ...detail },
  });
  const conflict =
    entries.find((e) => e.DetailType === DetailType.outcome && e.Detail.status === 'succeeded') ?? template;
  return [
    ...resent,
    { ...conflict, Detail: { ...conflict.Detail, status: 'failed', valueUsd: undefined } },
    invalid('pii', { userId: 'jane.doe@example.com' }),
    invalid('version', { schemaVersion: 2 }),
    invalid(
      'negative-tokens',
      { model: 'gpt-4o-mini', inputTokens: -5, outputTokens: 10, latencyMs: 100 },
      DetailType.usage,
    ),
    invalid('status', { status: 'maybe' }),
    invalid('future', { occurredAt: new Date(nowMs + DAY_MS).toISOString() }),
    invalid('too-late', { occurredAt: new Date(nowMs - 60 * DAY_MS).toISOString() }),
  ];
};
