/**
 * How much the page asks for and draws, whatever the fleet's size: what keeps it fast with
 * thousands of workflows (docs/ops.md). No DOM here, so tests and tools can read the numbers.
 */

/** Rows per fleet table page: the table stays short however many workflows are loaded. */
export const FLEET_PAGE_ROWS = 25;

/** Entries per GET /quarantine request; the panel's "more" asks for the next page. */
export const QUARANTINE_PAGE = 50;

/** How many workflows get charts (each costs one metrics request). */
export const ChartBudget = {
  /** The costliest and the most valuable workflows always charted, this many of each. */
  largestEach: 4,
  /** Charts at most, flagged included; the rest of the budget goes to the next largest. */
  total: 12,
} as const;

/**
 * The page's API requests on opening, whatever the fleet's size: the fleet's first page, the
 * pipeline, the quarantine's first page, the digest (which carries the portfolio; GET /portfolio
 * only for a digest archived before it had one), then per charted workflow its metrics and its
 * variants (docs/ops.md).
 */
export const RequestBudget = {
  fixed: 5,
  perChart: 2,
  /** At most this many requests before any click. */
  total: 5 + 2 * ChartBudget.total,
} as const;
