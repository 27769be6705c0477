import * as z from 'zod';
import { DEFAULT_LATENESS_DAYS } from '../../events/validate.ts';
import { ProducerLimits } from '../limits.ts';
import { DEFAULT_TABLE_NAME } from '../store/dynamodb/table.ts';
import {
  INGEST_METRICS_NAMESPACE,
  INGEST_METRICS_SERVICE,
  PerWorkflowMetrics,
  type PerWorkflowMetricsName,
} from '../telemetry/ingest-metrics.ts';
import type { FunctionName } from './functions.ts';

/**
 * Every environment variable a Yardstick function reads: its name, default and validation. The CDK
 * constructs build each function's `environment` from it and the functions read their configuration
 * through it (both in `environment.ts`), so no name or default is written on both sides of the deploy
 * boundary.
 */
export interface Variable<T> {
  readonly name: string;
  readonly schema: z.ZodType<T, string>;
  /** Written by the stack even when no value is given (Powertools reads these itself). */
  readonly alwaysSet?: boolean;
}

/** A variable with a default: the function always has a value. */
export interface DefaultedVariable<T> extends Variable<T> {
  readonly fallback: (functionName: FunctionName) => T;
}

const defaulted = <T>(spec: DefaultedVariable<T>): DefaultedVariable<T> => spec;
/** A variable that may stay unset (the function decides what that means). */
const optional = <T>(spec: Variable<T>): Variable<T> => spec;

/** A whole number from `min` to `max`, written in decimal digits. */
const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: `must be a whole number from ${min} to ${max}` })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, { error: `must be a whole number from ${min} to ${max}` })
        .max(max, { error: `must be a whole number from ${min} to ${max}` }),
    );

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });

const text = (problem: string, pattern = /^\S(.*\S)?$/s) => z.string().regex(pattern, { error: problem });

/** Log levels Powertools accepts (any case). */
const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;

/** A sanity ceiling: a cap beyond it bounds nothing a producer could not already flood. */
const MAX_NEW_WORKFLOWS_PER_DAY_CEILING = 1_000_000;

export const Variables = {
  tableName: defaulted({
    name: 'TABLE_NAME',
    schema: text('must be a DynamoDB table name (3–255 of A–Z a–z 0–9 _ . -)', /^[A-Za-z0-9_.-]{3,255}$/),
    fallback: () => DEFAULT_TABLE_NAME,
  }),
  latenessDays: defaulted({
    name: 'LATENESS_DAYS',
    // No more than the default: dedupe markers outlive the window by 7 days only.
    schema: integer(1, DEFAULT_LATENESS_DAYS),
    fallback: () => DEFAULT_LATENESS_DAYS,
  }),
  perWorkflowMetrics: defaulted<PerWorkflowMetricsName>({
    name: 'PER_WORKFLOW_METRICS',
    schema: oneOf(Object.values(PerWorkflowMetrics) as [PerWorkflowMetricsName, ...PerWorkflowMetricsName[]]),
    fallback: () => PerWorkflowMetrics.catalog,
  }),
  /** The daily cap on new (uncatalogued) workflow ids the aggregate function admits. */
  maxNewWorkflowsPerDay: defaulted({
    name: 'MAX_NEW_WORKFLOWS_PER_DAY',
    schema: integer(1, MAX_NEW_WORKFLOWS_PER_DAY_CEILING),
    fallback: () => ProducerLimits.newWorkflowsPerDay,
  }),
  metricsNamespace: defaulted({
    name: 'POWERTOOLS_METRICS_NAMESPACE',
    schema: text('must be a CloudWatch namespace (no leading or trailing space)'),
    fallback: () => INGEST_METRICS_NAMESPACE,
    alwaysSet: true,
  }),
  serviceName: defaulted({
    name: 'POWERTOOLS_SERVICE_NAME',
    schema: text('must be a service name (no leading or trailing space)'),
    // The aggregate's is the `service` dimension its metrics, dashboards and alarms use.
    fallback: (functionName) =>
      functionName === 'aggregate' ? INGEST_METRICS_SERVICE : `yardstick-${functionName}`,
    alwaysSet: true,
  }),
  logLevel: optional({
    name: 'POWERTOOLS_LOG_LEVEL',
    schema: z
      .string()
      .transform((value) => value.toUpperCase())
      .pipe(oneOf(LOG_LEVELS)),
  }),
  catalog: optional({ name: 'YARDSTICK_CATALOG', schema: text('must be the catalog as JSON') }),
  catalogFile: optional({ name: 'YARDSTICK_CATALOG_FILE', schema: text('must be a file path') }),
  /** The bus the otlp function sends converted events to. */
  eventBusName: defaulted({
    name: 'EVENT_BUS_NAME',
    schema: text(
      'must be an EventBridge bus name (1–256 of A–Z a–z 0–9 . _ - /)',
      /^[A-Za-z0-9._/-]{1,256}$/,
    ),
    fallback: () => 'yardstick',
  }),
  digestSender: optional({
    name: 'DIGEST_SENDER',
    schema: z.string().pipe(z.email({ error: 'must be an e-mail address' })),
  }),
} as const;

export type VariableKey = keyof typeof Variables;

const COMMON = ['tableName', 'serviceName', 'logLevel', 'catalog', 'catalogFile'] as const;

/** The variables each function reads. */
export const FunctionVariables = {
  aggregate: [...COMMON, 'latenessDays', 'perWorkflowMetrics', 'maxNewWorkflowsPerDay', 'metricsNamespace'],
  counters: [...COMMON],
  api: [...COMMON],
  digest: [...COMMON, 'digestSender'],
  otlp: ['serviceName', 'logLevel', 'catalog', 'catalogFile', 'eventBusName'],
} as const satisfies Record<FunctionName, readonly VariableKey[]>;

type ValueOf<K extends VariableKey> = (typeof Variables)[K] extends Variable<infer T> ? T : never;
type HasFallback<K extends VariableKey> =
  (typeof Variables)[K] extends DefaultedVariable<unknown> ? K : never;
type KeysOf<F extends FunctionName> = (typeof FunctionVariables)[F][number];

/** A function's configuration as read at cold start: defaulted variables always have a value. */
export type FunctionConfig<F extends FunctionName> = {
  readonly [K in KeysOf<F>]: K extends HasFallback<K> ? ValueOf<K> : ValueOf<K> | undefined;
};

/** What a construct may set for a function; unset variables take the function's default. */
export type FunctionEnvironmentValues<F extends FunctionName> = {
  readonly [K in KeysOf<F>]?: ValueOf<K>;
};
