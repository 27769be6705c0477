// What the page reads from the query API of its own origin (docs/api.md). The response types are the
// API's own (imported as types, so nothing of the server is bundled): one definition, two runtimes.

import type { DigestModel, DigestWorkflow } from '../../../../shared/digest/model.ts';
import { YardstickError } from '../../../../shared/errors.ts';
import type { PIPELINE_COUNTERS, PipelineCounterName } from '../../../../shared/ingest/pipeline-counters.ts';
import type { Portfolio } from '../../../../shared/portfolio/model.ts';
import type { WorkflowMetricsResponse } from '../../../../shared/query/metrics-query.ts';
import type { WorkflowVariantsResponse } from '../../../../shared/query/variants-query.ts';
import type { WorkflowListEntry } from '../../../../shared/query/workflow-list.ts';
import type { PipelineCounts, QuarantineEntry } from '../../../../shared/store/port.ts';

export type {
  DigestWorkflow,
  PipelineCounterName,
  QuarantineEntry,
  WorkflowListEntry,
  WorkflowMetricsResponse,
  WorkflowVariantsResponse,
};

/** GET /workflows: one page of the fleet. */
export interface WorkflowPage {
  readonly workflows: readonly WorkflowListEntry[];
  readonly nextToken?: string;
}

/** GET /pipeline: counters per arrival day, and what each counter counts. */
export interface PipelineResponse {
  readonly from: string;
  readonly to: string;
  readonly counters: typeof PIPELINE_COUNTERS;
  readonly days: ReadonlyArray<{ readonly day: string } & PipelineCounts>;
}

/** GET /quarantine: one day's quarantined events, a page at a time once the API pages them. */
export interface QuarantinePage {
  readonly date: string;
  readonly events: readonly QuarantineEntry[];
  readonly nextToken?: string;
}

/** The digest's verdicts for one week, by workflow. */
export interface Verdicts {
  readonly week: string;
  readonly byWorkflow: ReadonlyMap<string, DigestWorkflow>;
  /** The digest's portfolio (the same as GET /portfolio's); null in a digest archived before it existed. */
  readonly portfolio: Portfolio | null;
}

/** Thrown when the API answers a request with an error: the status and the API's own message. */
export class OpsApiError extends YardstickError {
  constructor(
    readonly path: string,
    readonly status: number,
    message: string,
  ) {
    super(`GET ${path} answered ${status}: ${message}`);
  }
}

/** How the page fetches; a test or a later panel can pass its own (counting requests, say). */
export type Fetch = (path: string, init?: RequestInit) => Promise<Response>;

/**
 * A client of the query API with the few calls the page makes; every list is one request per page.
 *
 * @example
 * ```ts
 * const api = createApi();
 * const { workflows, nextToken } = await api.workflows(200);
 * ```
 */
export const createApi = (fetchImpl: Fetch = (path, init) => fetch(path, init)) => {
  const get = async <T>(path: string): Promise<T> => {
    const response = await fetchImpl(path, { headers: { accept: 'application/json' } });
    const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
    if (!response.ok)
      throw new OpsApiError(path, response.status, body.error?.message ?? response.statusText);
    return body as T;
  };
  const token = (nextToken?: string) => (nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : '');
  return {
    workflows: (limit: number, nextToken?: string) =>
      get<WorkflowPage>(`/workflows?limit=${limit}${token(nextToken)}`),
    metrics: (workflowId: string, range: string) =>
      get<WorkflowMetricsResponse>(
        `/workflows/${encodeURIComponent(workflowId)}/metrics?granularity=day&${range}`,
      ),
    /** Each variant's metrics and its comparison with the catalog's baseline, over the same days. */
    variants: (workflowId: string, range: string) =>
      get<WorkflowVariantsResponse>(
        `/workflows/${encodeURIComponent(workflowId)}/variants?granularity=day&${range}`,
      ),
    pipeline: (range: string) => get<PipelineResponse>(`/pipeline?${range}`),
    quarantine: (limit: number, nextToken?: string) =>
      get<QuarantinePage>(`/quarantine?limit=${limit}${token(nextToken)}`),
    /** The week's portfolio (GET /portfolio), or null when the API serves none (the panel says so). */
    portfolio: async (week: string): Promise<Portfolio | null> => {
      try {
        return await get<Portfolio>(`/portfolio?week=${week}`);
      } catch {
        return null;
      }
    },
    /** The week's verdicts, or null when the API serves no digest (the page then shows none). */
    verdicts: async (week: string): Promise<Verdicts | null> => {
      try {
        const digest = await get<DigestModel>(`/digest?week=${week}`);
        if (!Array.isArray(digest.workflows)) return null;
        return {
          week: digest.week,
          byWorkflow: new Map(digest.workflows.map((w) => [w.workflowId, w])),
          portfolio: digest.portfolio ?? null,
        };
      } catch {
        return null;
      }
    },
  };
};

export type Api = ReturnType<typeof createApi>;
