import type { Pricer } from '../metrics/counters.ts';
import { DEFAULT_PRICES } from './default-prices.ts';
import type { ModelPrice } from './schema.ts';

// Prices per million tokens are converted to nano-USD per token × 1000 (pico-USD) to stay integral.
const picoPerToken = (perMillionUsd: number): bigint => BigInt(Math.round(perMillionUsd * 1_000_000));

/** The identifier recorded with each priced event: which entry, and the date of its price. */
export const priceRef = (price: ModelPrice): string =>
  `${price.provider ?? 'any'}/${price.model}@${price.asOf}`;

// Providers report pinned snapshots (`gpt-4o-mini-2024-07-18`, `claude-sonnet-4-20250514`) and
// Bedrock adds a vendor prefix and version (`us.anthropic.claude-sonnet-4-20250514-v1:0`); all bill
// at the family's price. Only these well-known decorations are stripped, so `gpt-4o` never prices
// `gpt-4o-mini`.
const BEDROCK_PREFIX = /^(?:(?:us|eu|apac|global)\.)?(?:anthropic|amazon|meta|mistral|cohere|ai21)\./;
const VERSION_SUFFIX = /-v\d+(?::\d+)?$/;
const SNAPSHOT_SUFFIX = /-(?:\d{4}-\d{2}-\d{2}|\d{8})$/;

/** The names a reported model is looked up under, most specific first. */
export const modelCandidates = (model: string): string[] => {
  const bare = model.replace(BEDROCK_PREFIX, '').replace(VERSION_SUFFIX, '');
  return [...new Set([model, bare, bare.replace(SNAPSHOT_SUFFIX, '')])];
};

/**
 * The price entry for a model: catalog overrides before defaults, exact names before snapshots.
 * A provider on both sides must agree.
 */
export const findPrice = (
  table: readonly ModelPrice[],
  model: string,
  provider?: string,
): ModelPrice | undefined => {
  for (const candidate of modelCandidates(model)) {
    const entry = table.find(
      (p) => p.model === candidate && (!p.provider || !provider || p.provider === provider),
    );
    if (entry) return entry;
  }
  return undefined;
};

/**
 * A pricer over the catalog's prices layered on the defaults. Cached input tokens are part of input
 * tokens and billed at the cached rate when one is given. Costs round to the nearest nano-USD.
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
    const cached = BigInt(Math.min(usage.cachedInputTokens ?? 0, usage.inputTokens));
    const uncached = BigInt(usage.inputTokens) - cached;
    const cachedRate = picoPerToken(entry.cachedInputPerMillionUsd ?? entry.inputPerMillionUsd);
    const pico =
      uncached * picoPerToken(entry.inputPerMillionUsd) +
      cached * cachedRate +
      BigInt(usage.outputTokens) * picoPerToken(entry.outputPerMillionUsd);
    return { costNanos: (pico + 500n) / 1000n, priceRef: priceRef(entry) };
  };
};
