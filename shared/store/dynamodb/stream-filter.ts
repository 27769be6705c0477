import { RECORDED_PREFIX } from './keys.ts';

/**
 * Which stream records the counters function is given: INSERTs and MODIFYs of recorded events. The
 * stack deploys it as the event source mapping's filter (Lambda filter syntax, which is EventBridge's
 * pattern syntax), so TTL deletions and the table's other writes never invoke the function; local
 * mode's stream poller applies the same pattern with the local pattern matcher.
 */
export const COUNTERS_STREAM_FILTER = {
  eventName: ['INSERT', 'MODIFY'],
  dynamodb: { Keys: { pk: { S: [{ prefix: RECORDED_PREFIX }] } } },
} as const;

/** The table's stream view: MODIFYs need the old image to put a counted version back. */
export const STREAM_VIEW_TYPE = 'NEW_AND_OLD_IMAGES' as const;
