import type { Pricer } from '../metrics/counters.ts';
import { DEFAULT_PRICES } from './default-prices.ts';
import type { ModelPrice } from './schema.ts';

// Prices per million tokens are converted to nano-USD per token × 1000 (pico-USD) to stay integral.
const picoPerToken = (perMillionUsd: number): bigint => BigInt(Math.round(perMillionUsd * 1_000_000));

/** The identifier recorded with each priced event: which entry, and the date of its price. */
export const priceRef = (price: ModelPrice): string =>
  `${price.provider ?? 'any'}/${price.model}@${price.asOf}`;

// Providers report pinned snapshots (`gpt-4o-mini-2024-07-18`, `claude-sonnet-4-20250514`) and
// Bedrock adds a region prefix, its vendor and a version (`us.anthropic.claude-sonnet-4-20250514-v1:0`),
// sometimes inside an ARN; all bill at the family's price. Only these well-known decorations are
// stripped, so `gpt-4o` never prices `gpt-4o-mini`.
const BEDROCK_ARN =
  /^arn:aws[\w-]*:bedrock:[^:]*:[^:]*:(?:foundation-model|inference-profile|application-inference-profile)\//;
const BEDROCK_ID =
  /^(?:(?:us|eu|apac|global|us-gov|jp|au|ca)\.)?(anthropic|amazon|meta|mistral|cohere|ai21|deepseek|openai|qwen|writer)\.(.+)$/;
const VERSION_SUFFIX = /-v\d+(?::\d+)?$/;
const SNAPSHOT_SUFFIX = /-(?:\d{4}-\d{2}-\d{2}|\d{8})$/;

/** A Bedrock model id's vendor (`anthropic` in `us.anthropic.claude-…`), which its price entries name. */
export const bedrockVendor = (model: string): string | undefined =>
  BEDROCK_ID.exec(model.replace(BEDROCK_ARN, ''))?.[1];

/** The names a reported model is looked up under, most specific first. */
export const modelCandidates = (model: string): string[] => {
  const unwrapped = model.replace(BEDROCK_ARN, '');
  const bare = unwrapped.replace(BEDROCK_ID, '$2').replace(VERSION_SUFFIX, '');
  return [...new Set([model, unwrapped, bare, bare.replace(SNAPSHOT_SUFFIX, '')])];
};

/**
 * The price entry for a model: catalog overrides before defaults, exact names (and aliases) before
 * snapshots. A provider on both sides must agree, except that a Bedrock model id prices like its
 * vendor's entries whichever provider reported it (`aws.bedrock`, `amazon-bedrock`): Bedrock bills
 * the vendor's list price for on-demand use.
 *
 * @example
 * ```ts
 * findPrice(DEFAULT_PRICES, 'us.anthropic.claude-sonnet-4-20250514-v1:0', 'aws.bedrock')?.model; // 'claude-sonnet-4'
 * ```
 */
export const findPrice = (
  table: readonly ModelPrice[],
  model: string,
  provider?: string,
): ModelPrice | undefined => {
  const vendor = bedrockVendor(model);
  const providerAgrees = (p: ModelPrice) =>
    !p.provider || !provider || p.provider === provider || p.provider === vendor;
  for (const candidate of modelCandidates(model)) {
    const entry = table.find(
      (p) => (p.model === candidate || p.aliases?.includes(candidate)) && providerAgrees(p),
    );
    if (entry) return entry;
  }
  return undefined;
};

const atMost = (value: number | undefined, limit: bigint): bigint => {
  const n = BigInt(value ?? 0);
  return n < limit ? n : limit;
};

/**
 * A pricer over the catalog's prices layered on the defaults. Cache reads, cache writes and reasoning
 * tokens are billed at their own rates when the entry gives them. By default they are part of
 * `inputTokens` / `outputTokens` (OpenTelemetry's GenAI conventions), so they are taken out of those
 * counts before the base rate applies; an entry with `inputIncludesCache: false` or
 * `outputIncludesReasoning: false` adds them instead (docs/catalog.md, "What the counts include").
 * Costs round to the nearest nano-USD.
 *
 * @example
 * ```ts
 * const price = createPricer(catalog.prices);
 * price({ model: 'gpt-4o-mini', inputTokens: 1000, outputTokens: 200 }); // { costNanos: 270000n, priceRef: 'openai/gpt-4o-mini@2025-06-01' }
 * ```
 */
export const createPricer = (overrides: readonly ModelPrice[], defaults = DEFAULT_PRICES): Pricer => {
  const table = [...overrides, ...defaults];
  return (usage) => {
    const entry = findPrice(table, usage.model, usage.provider);
    if (!entry) return undefined;
    const input = BigInt(usage.inputTokens);
    const output = BigInt(usage.outputTokens);
    const inputIncludes = entry.inputIncludesCache !== false;
    const outputIncludes = entry.outputIncludesReasoning !== false;
    // Within the counts, a part can never exceed the whole: a larger part is clamped, not priced twice.
    const cacheRead = inputIncludes
      ? atMost(usage.cachedInputTokens, input)
      : BigInt(usage.cachedInputTokens ?? 0);
    const cacheWrite = inputIncludes
      ? atMost(usage.cacheCreationInputTokens, input - cacheRead)
      : BigInt(usage.cacheCreationInputTokens ?? 0);
    const reasoning = outputIncludes
      ? atMost(usage.reasoningOutputTokens, output)
      : BigInt(usage.reasoningOutputTokens ?? 0);
    const uncached = inputIncludes ? input - cacheRead - cacheWrite : input;
    const plainOutput = outputIncludes ? output - reasoning : output;
    const inputRate = picoPerToken(entry.inputPerMillionUsd);
    const outputRate = picoPerToken(entry.outputPerMillionUsd);
    const pico =
      uncached * inputRate +
      cacheRead *
        (entry.cachedInputPerMillionUsd !== undefined
          ? picoPerToken(entry.cachedInputPerMillionUsd)
          : inputRate) +
      cacheWrite *
        (entry.cacheCreationInputPerMillionUsd !== undefined
          ? picoPerToken(entry.cacheCreationInputPerMillionUsd)
          : inputRate) +
      plainOutput * outputRate +
      reasoning *
        (entry.reasoningOutputPerMillionUsd !== undefined
          ? picoPerToken(entry.reasoningOutputPerMillionUsd)
          : outputRate);
    return { costNanos: (pico + 500n) / 1000n, priceRef: priceRef(entry) };
  };
};
