import { type EventPattern, matchesEventPattern } from './event-pattern.ts';
import type { AcceptedPutEvent } from './put-events.ts';

/** A rule as the CDK stack declares it: a bus, a pattern from `events/patterns.ts`, and a target. */
export interface LocalRule {
  readonly name: string;
  readonly buses: readonly string[];
  readonly pattern: EventPattern;
  /** Takes all the bodies of one PutEvents call or none (throws), and resolves once they are durable. */
  readonly target: (envelopeJsons: readonly string[]) => Promise<void>;
}

/**
 * Routes accepted events to every rule whose bus and pattern match, as EventBridge does; an event
 * that matches no rule is dropped, also as EventBridge does. Matching happens for the whole call
 * first and each target gets one delivery, so a failure (a full queue) leaves nothing half-delivered.
 *
 * @example
 * ```ts
 * const route = createRouter([{ name: 'ingest', buses: ['yardstick', 'default'], pattern: INGEST_PATTERN, target: (bodies) => queue.sendAll(bodies) }]);
 * await route(accepted); // { matched: 1, unmatched: 0 }
 * ```
 */
export const createRouter = (rules: readonly LocalRule[]) => {
  const stats = { matched: 0, unmatched: 0 };
  const route = async (events: readonly AcceptedPutEvent[]) => {
    const perRule = rules.map(() => [] as string[]);
    let matched = 0;
    for (const { bus, envelope, json } of events) {
      let hit = false;
      rules.forEach((rule, index) => {
        if (rule.buses.includes(bus) && matchesEventPattern(rule.pattern, envelope)) {
          perRule[index]?.push(json);
          hit = true;
        }
      });
      if (hit) matched++;
    }
    await Promise.all(rules.map((rule, index) => rule.target(perRule[index] ?? [])));
    stats.matched += matched;
    stats.unmatched += events.length - matched;
    return stats;
  };
  return Object.assign(route, { stats });
};
