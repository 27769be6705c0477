import { type EventPattern, matchesEventPattern } from './event-pattern.ts';
import type { AcceptedPutEvent } from './put-events.ts';

/** A rule as the CDK stack declares it: a bus, a pattern from `events/patterns.ts`, and a target. */
export interface LocalRule {
  readonly name: string;
  readonly buses: readonly string[];
  readonly pattern: EventPattern;
  readonly target: (envelopeJson: string) => void;
}

/**
 * Routes accepted events to every rule whose bus and pattern match, as EventBridge does; an event
 * that matches no rule is dropped, also as EventBridge does.
 *
 * @example
 * ```ts
 * const route = createRouter([{ name: 'ingest', buses: ['yardstick', 'default'], pattern: INGEST_PATTERN, target: (body) => queue.send(body) }]);
 * route(accepted); // { matched: 1, unmatched: 0 }
 * ```
 */
export const createRouter = (rules: readonly LocalRule[]) => {
  const stats = { matched: 0, unmatched: 0 };
  const route = (events: readonly AcceptedPutEvent[]) => {
    for (const { bus, envelope } of events) {
      let matched = false;
      for (const rule of rules) {
        if (rule.buses.includes(bus) && matchesEventPattern(rule.pattern, envelope)) {
          rule.target(JSON.stringify(envelope));
          matched = true;
        }
      }
      if (matched) stats.matched++;
      else stats.unmatched++;
    }
    return stats;
  };
  return Object.assign(route, { stats });
};
