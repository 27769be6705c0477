import type { PipelineCounterName } from './api.ts';

/**
 * What the page drew, on `globalThis.yardstickOps`, for tests and for anyone poking at it from the
 * console. Updated whenever the fleet's page changes.
 */
export interface OpsState {
  readonly days: number;
  readonly from: string;
  readonly to: string;
  /** Every workflow loaded from GET /workflows, in API order. */
  readonly workflows: readonly string[];
  /** The workflows shown on the current table page. */
  readonly shown: readonly string[];
  readonly page: number;
  readonly moreInApi: boolean;
  readonly charted: readonly string[];
  readonly flagged: readonly string[];
  readonly verdicts: boolean;
  /** True when GET /portfolio answered and the portfolio panel is drawn. */
  readonly portfolio: boolean;
  readonly pipelineTotals: Record<PipelineCounterName, number>;
  readonly quarantineEntries: number;
}

/** Publishes the page's state. */
export const publishState = (state: OpsState): void => {
  (globalThis as unknown as { yardstickOps: OpsState }).yardstickOps = state;
};
