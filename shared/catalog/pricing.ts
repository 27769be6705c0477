import type { Pricer } from '../metrics/counters.ts';
import { DEFAULT_PRICES } from './default-prices.ts';
import type { ModelPrice } from './schema.ts';

// Prices per million tokens are converted to nano-USD per token × 1000 (pico-USD) to stay integral.
const picoPerToken = (perMillionUsd: number): bigint => BigInt(Math.round(perMillionUsd * 1_000_000));

/** The identifier recorded with each priced event: which entry, and the date of its price. */
export const priceRef = (price: ModelPrice): string =>
  `${price.provider ?? 'any'}/${price.model}@${price.asOf}`;

/**
 * A pricer over the catalog's prices layered on the defaults. A model matches by exact name (and
 * provider when both name one); cached input tokens are part of input tokens and billed at the
 * cached rate when one is given.
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
    const entry =
      table.find(
        (p) => p.model === usage.model && (!p.provider || !usage.provider || p.provider === usage.provider),
      ) ?? undefined;
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
