import type { LoadedCatalog } from '../../shared/catalog/load.ts';
import { WeekNotOverError } from '../../shared/digest/run.ts';
import { serveDigest } from '../../shared/digest/serve.ts';
import { lastFullWeek } from '../../shared/digest/weeks.ts';
import { PIPELINE_COUNTERS } from '../../shared/ingest/pipeline-counters.ts';
import { PageLimits } from '../../shared/limits.ts';
import { servePortfolio } from '../../shared/portfolio/serve.ts';
import { queryWorkflowMetrics } from '../../shared/query/metrics-query.ts';
import { queryWorkflowVariants } from '../../shared/query/variants-query.ts';
import { listWorkflows } from '../../shared/query/workflow-list.ts';
import type { DigestArchive } from '../../shared/store/digest-archive.ts';
import { InvalidPageTokenError } from '../../shared/store/page-token.ts';
import type { MetricsStore } from '../../shared/store/port.ts';
import { BadRequestError } from './http.ts';
import {
  parseDay,
  parseGranularity,
  parseInstantRange,
  parseLimit,
  parseRange,
  parseWeek,
  parseWorkflowId,
} from './params.ts';

export interface ApiDependencies {
  readonly store: MetricsStore;
  readonly catalog: LoadedCatalog;
  readonly now: () => number;
  /** Digests kept when sent; without it, `GET /digest` builds every week on demand. */
  readonly digests?: DigestArchive;
}

export interface RouteRequest {
  readonly params: readonly string[];
  readonly query: Readonly<Record<string, string | undefined>>;
  readonly deps: ApiDependencies;
}

export interface Route {
  readonly path: RegExp;
  /** Human form of the path, listed in 404 answers. */
  readonly template: string;
  readonly handle: (request: RouteRequest) => Promise<unknown>;
}

// GET /digest and /portfolio ?week=YYYY-Www: the archived copy, else built on demand; bad or
// unfinished weeks are 400s.
const weekRoute =
  (serve: typeof serveDigest | typeof servePortfolio) =>
  async ({ query, deps }: RouteRequest) => {
    const nowMs = deps.now();
    const week = parseWeek(query, lastFullWeek(nowMs));
    try {
      return await serve({ store: deps.store, catalog: deps.catalog, archive: deps.digests }, week, nowMs);
    } catch (error) {
      if (error instanceof WeekNotOverError) throw BadRequestError('week_not_over', error.message);
      throw error;
    }
  };

/** The query API (docs/api.md). Each handler parses, calls the domain, and returns a JSON body. */
export const ROUTES: Route[] = [
  { path: /^\/health$/, template: '/health', handle: async () => ({ status: 'ok' }) },
  {
    path: /^\/workflows$/,
    template: '/workflows?limit=&nextToken=',
    handle: async ({ query, deps }) => {
      const limit = parseLimit(query, PageLimits.workflows.default, PageLimits.workflows.max);
      try {
        return await listWorkflows(deps.store, deps.catalog, deps.now(), {
          limit,
          ...(query.nextToken !== undefined ? { nextToken: query.nextToken } : {}),
        });
      } catch (error) {
        if (error instanceof InvalidPageTokenError) throw BadRequestError('invalid_parameter', error.message);
        throw error;
      }
    },
  },
  {
    path: /^\/workflows\/([^/]+)\/metrics$/,
    template: '/workflows/{workflowId}/metrics?from=&to=&granularity=hour|day',
    handle: ({ params, query, deps }) => {
      const workflowId = parseWorkflowId(params[0] ?? '');
      const granularity = parseGranularity(query, 'day');
      const range = parseRange(query, granularity, deps.now());
      return queryWorkflowMetrics(deps.store, deps.catalog, { workflowId, granularity, ...range });
    },
  },
  {
    path: /^\/workflows\/([^/]+)\/variants$/,
    template: '/workflows/{workflowId}/variants?from=&to=&granularity=hour|day',
    handle: ({ params, query, deps }) => {
      const workflowId = parseWorkflowId(params[0] ?? '');
      const granularity = parseGranularity(query, 'day');
      const range = parseRange(query, granularity, deps.now());
      return queryWorkflowVariants(deps.store, deps.catalog, { workflowId, granularity, ...range });
    },
  },
  {
    path: /^\/workflows\/([^/]+)\/overrides$/,
    template: '/workflows/{workflowId}/overrides?from=&to=&limit=',
    handle: async ({ params, query, deps }) => {
      const workflowId = parseWorkflowId(params[0] ?? '');
      const { fromMs, toMs } = parseInstantRange(query, deps.now(), 7);
      const limit = parseLimit(query, 500, 5000);
      const from = new Date(fromMs).toISOString();
      const to = new Date(toMs).toISOString();
      const overrides = await deps.store.listOverrides(workflowId, from, to, limit);
      return { workflowId, from, to, overrides };
    },
  },
  {
    path: /^\/workflows\/([^/]+)\/conflicts$/,
    template: '/workflows/{workflowId}/conflicts?limit=',
    handle: async ({ params, query, deps }) => {
      const workflowId = parseWorkflowId(params[0] ?? '');
      return {
        workflowId,
        conflicts: await deps.store.listConflicts(workflowId, parseLimit(query, 100, 1000)),
      };
    },
  },
  {
    path: /^\/quarantine$/,
    template: '/quarantine?date=YYYY-MM-DD&limit=&nextToken=',
    handle: async ({ query, deps }) => {
      const date = parseDay(query, deps.now());
      const limit = parseLimit(query, 100, 1000);
      try {
        const { entries, nextToken } = await deps.store.listQuarantine(date, {
          limit,
          ...(query.nextToken !== undefined ? { nextToken: query.nextToken } : {}),
        });
        // `events`, newest first: the name the ops page and existing clients read.
        return { date, events: entries, ...(nextToken ? { nextToken } : {}) };
      } catch (error) {
        if (error instanceof InvalidPageTokenError) throw BadRequestError('invalid_parameter', error.message);
        throw error;
      }
    },
  },
  { path: /^\/digest$/, template: '/digest?week=YYYY-Www', handle: weekRoute(serveDigest) },
  { path: /^\/portfolio$/, template: '/portfolio?week=YYYY-Www', handle: weekRoute(servePortfolio) },
  {
    path: /^\/pipeline$/,
    template: '/pipeline?from=&to=',
    handle: async ({ query, deps }) => {
      const { fromMs, toMs } = parseRange(query, 'day', deps.now());
      const days = await deps.store.readPipeline(
        new Date(fromMs).toISOString().slice(0, 10),
        new Date(toMs).toISOString().slice(0, 10),
      );
      // Says per counter whether it counts deliveries or distinct events, so no reader has to guess.
      return {
        from: new Date(fromMs).toISOString(),
        to: new Date(toMs).toISOString(),
        counters: PIPELINE_COUNTERS,
        days,
      };
    },
  },
];
