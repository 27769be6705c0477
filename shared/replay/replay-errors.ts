import { YardstickError } from '../errors.ts';

/**
 * A counter item moved while a replay was rewriting it: counting was not quiescent (events were still
 * being recorded or counted). Nothing is lost: the items written so far hold totals of recorded
 * events, and running the replay again once counting is paused rebuilds them all.
 */
export class ReplayInterruptedError extends YardstickError {}

/** A replay that cannot be done as asked (a window older than recorded events cover, a busy table). */
export class ReplayRefusedError extends YardstickError {}
