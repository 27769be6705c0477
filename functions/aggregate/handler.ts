import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { DEFAULT_LATENESS_DAYS } from '../../events/validate.ts';
import type { Governance } from '../../shared/ingest/admission.ts';
import { countBatch } from '../../shared/ingest/count-batch.ts';
import type { Pricer } from '../../shared/metrics/counters.ts';
import type { MetricsStore } from '../../shared/store/port.ts';
import { traceBatch } from '../../shared/telemetry/batch-span.ts';
import { type IngestMetricsOptions, publishBatchMetrics } from '../../shared/telemetry/ingest-metrics.ts';
import { DAY_MS } from '../../shared/time.ts';
import { incomingFromSqsRecord } from './parse-record.ts';

export interface AggregateDependencies {
  readonly store: MetricsStore;
  readonly price: Pricer;
  readonly logger: Logger;
  /** CloudWatch EMF through Powertools; absent in local mode and tests, where nothing reads stdout metrics. */
  readonly metrics?: Metrics;
  readonly metricsOptions?: IngestMetricsOptions;
  /** @default 35 */
  readonly latenessDays?: number;
  /** Allowed sources, catalogued workflows and the cap on new workflow ids. @default open, default cap */
  readonly governance?: Governance;
  readonly now?: () => number;
}

/**
 * Builds the aggregate function: SQS batches of EventBridge events in, exactly-once counters out,
 * failed writes reported as partial batch failures so that only they are redelivered.
 *
 * @example
 * ```ts
 * const handler = createAggregateHandler({ store, price, logger });
 * const { batchItemFailures } = await handler(sqsEvent, context);
 * ```
 */
export const createAggregateHandler = (deps: AggregateDependencies) => {
  const now = deps.now ?? Date.now;
  const lambdaHandler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const nowMs = now();
    const incoming = event.Records.map(incomingFromSqsRecord);
    const report = await traceBatch(incoming, () =>
      countBatch(incoming, {
        store: deps.store,
        price: deps.price,
        window: { nowMs, latenessMs: (deps.latenessDays ?? DEFAULT_LATENESS_DAYS) * DAY_MS },
        ...(deps.governance ? { governance: deps.governance } : {}),
      }),
    );
    if (deps.metrics) publishBatchMetrics(deps.metrics, report, deps.metricsOptions);
    for (const entry of report.quarantined) {
      deps.logger.warn('event quarantined', {
        id: entry.id,
        code: entry.rejection.code,
        reason: entry.rejection.message,
      });
    }
    for (const conflict of report.conflicts) {
      deps.logger.warn('eventId reused with different content; counted once', { ...conflict });
    }
    // Powertools builds the partial batch response; each record's fate was decided for the batch as a whole.
    const processor = new BatchProcessor(EventType.SQS);
    return processPartialResponse(
      event,
      async (record: SQSRecord) => {
        const failure = report.failures.get(record.messageId);
        if (failure) throw failure;
        return report.outcomes.get(record.messageId);
      },
      processor,
      { context },
    );
  };
  const handler = middy(lambdaHandler).use(injectLambdaContext(deps.logger));
  return deps.metrics ? handler.use(logMetrics(deps.metrics)) : handler;
};
