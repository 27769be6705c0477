import type { Attributes, AttributeValue } from '@opentelemetry/api';

/**
 * The span attributes the GenAI bridge reads, most preferred first: the current OpenTelemetry GenAI
 * semantic conventions, the older names many instrumentations (OpenLLMetry among them) still emit,
 * and OpenInference's. Prompt and completion content attributes are never read: the bridge looks up
 * these keys one by one and never iterates a span's attributes.
 */
export const GenAiAttributes = {
  model: ['gen_ai.response.model', 'gen_ai.request.model', 'llm.model_name'],
  provider: ['gen_ai.provider.name', 'gen_ai.system', 'llm.provider', 'llm.system'],
  inputTokens: ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens', 'llm.token_count.prompt'],
  outputTokens: [
    'gen_ai.usage.output_tokens',
    'gen_ai.usage.completion_tokens',
    'llm.token_count.completion',
  ],
  cachedInputTokens: [
    'gen_ai.usage.cache_read.input_tokens',
    'gen_ai.usage.cache_read_input_tokens',
    'llm.token_count.prompt_details.cache_read',
  ],
  cacheCreationInputTokens: [
    'gen_ai.usage.cache_creation.input_tokens',
    'gen_ai.usage.cache_creation_input_tokens',
    'llm.token_count.prompt_details.cache_write',
  ],
  reasoningOutputTokens: [
    'gen_ai.usage.reasoning.output_tokens',
    'gen_ai.usage.reasoning_tokens',
    'llm.token_count.completion_details.reasoning',
  ],
  costUsd: ['gen_ai.usage.cost'],
  userId: ['user.id', 'enduser.id', 'traceloop.association.properties.user_id'],
} as const;

/** Attributes through which a workflow tells the bridge which Yardstick workflow and run a span belongs to. */
export const YardstickAttributes = {
  workflowId: 'yardstick.workflow.id',
  runId: 'yardstick.run.id',
} as const;

/**
 * Names a workflow's telemetry already carries, which the catalog's `telemetryNames` map to a
 * Yardstick workflow (docs/otlp.md): the GenAI workflow name, else the emitting service's name.
 */
export const WorkflowNameAttributes = ['gen_ai.workflow.name', 'service.name'] as const;

/** The GenAI evaluation event and its attributes (OpenTelemetry GenAI semantic conventions). */
export const GenAiEvaluation = {
  eventName: 'gen_ai.evaluation.result',
  name: 'gen_ai.evaluation.name',
  label: 'gen_ai.evaluation.score.label',
  value: 'gen_ai.evaluation.score.value',
  explanation: 'gen_ai.evaluation.explanation',
} as const;

/** Usage read from one span. */
export interface GenAiUsage {
  readonly model: string;
  readonly provider?: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedInputTokens?: number;
  readonly cacheCreationInputTokens?: number;
  readonly reasoningOutputTokens?: number;
  readonly costUsd?: number;
  readonly userId?: string;
}

const first = (attributes: Attributes, keys: readonly string[]): AttributeValue | undefined => {
  for (const key of keys) {
    const value = attributes[key];
    if (value !== undefined && value !== null) return value;
  }
  return undefined;
};

const text = (value: AttributeValue | undefined): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

const count = (value: AttributeValue | undefined): number | undefined => {
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
};

const amount = (value: AttributeValue | undefined): number | undefined => {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
};

/**
 * Reads the usage of a GenAI span: a model and at least one token count. Spans without them
 * (workflow, task, tool and agent spans without usage, HTTP spans) give undefined.
 *
 * @example
 * ```ts
 * readGenAiUsage({ 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.prompt_tokens': 12, 'gen_ai.usage.completion_tokens': 3 });
 * // { model: 'gpt-4o-mini', inputTokens: 12, outputTokens: 3 }
 * ```
 */
export const readGenAiUsage = (attributes: Attributes): GenAiUsage | undefined => {
  const model = text(first(attributes, GenAiAttributes.model));
  const inputTokens = count(first(attributes, GenAiAttributes.inputTokens));
  const outputTokens = count(first(attributes, GenAiAttributes.outputTokens));
  if (!model || (inputTokens === undefined && outputTokens === undefined)) return undefined;
  const provider = text(first(attributes, GenAiAttributes.provider));
  const cachedInputTokens = count(first(attributes, GenAiAttributes.cachedInputTokens));
  const cacheCreationInputTokens = count(first(attributes, GenAiAttributes.cacheCreationInputTokens));
  const reasoningOutputTokens = count(first(attributes, GenAiAttributes.reasoningOutputTokens));
  const costUsd = amount(first(attributes, GenAiAttributes.costUsd));
  const userId = text(first(attributes, GenAiAttributes.userId));
  return {
    model: model.slice(0, 128),
    ...(provider ? { provider: provider.slice(0, 64) } : {}),
    inputTokens: inputTokens ?? 0,
    outputTokens: outputTokens ?? 0,
    ...(cachedInputTokens !== undefined ? { cachedInputTokens } : {}),
    ...(cacheCreationInputTokens !== undefined ? { cacheCreationInputTokens } : {}),
    ...(reasoningOutputTokens !== undefined ? { reasoningOutputTokens } : {}),
    ...(costUsd !== undefined ? { costUsd } : {}),
    ...(userId ? { userId: userId.slice(0, 128) } : {}),
  };
};
