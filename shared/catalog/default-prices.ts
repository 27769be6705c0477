import type { ModelPrice } from './schema.ts';

/**
 * Default list prices in USD per million tokens (standard tier, no batch discount), as published by
 * the providers on the `asOf` date; cached input is the cache-read rate. Bedrock prices are on-demand
 * in us-east-1 and name no provider, since
 * usage from Bedrock may report `aws.bedrock` or `amazon`.
 * A catalog's `prices` override these. Prices change: check them before relying on priced costs, and
 * prefer reporting `costUsd` from the provider's own usage response.
 */
export const DEFAULT_PRICES: readonly ModelPrice[] = [
  {
    model: 'gpt-4o',
    provider: 'openai',
    inputPerMillionUsd: 2.5,
    outputPerMillionUsd: 10,
    cachedInputPerMillionUsd: 1.25,
    asOf: '2025-06-01',
  },
  {
    model: 'gpt-4o-mini',
    provider: 'openai',
    inputPerMillionUsd: 0.15,
    outputPerMillionUsd: 0.6,
    cachedInputPerMillionUsd: 0.075,
    asOf: '2025-06-01',
  },
  {
    model: 'gpt-4.1',
    provider: 'openai',
    inputPerMillionUsd: 2,
    outputPerMillionUsd: 8,
    cachedInputPerMillionUsd: 0.5,
    asOf: '2025-06-01',
  },
  {
    model: 'gpt-4.1-mini',
    provider: 'openai',
    inputPerMillionUsd: 0.4,
    outputPerMillionUsd: 1.6,
    cachedInputPerMillionUsd: 0.1,
    asOf: '2025-06-01',
  },
  {
    model: 'text-embedding-3-small',
    provider: 'openai',
    inputPerMillionUsd: 0.02,
    outputPerMillionUsd: 0,
    asOf: '2025-06-01',
  },
  {
    model: 'claude-sonnet-4',
    provider: 'anthropic',
    inputPerMillionUsd: 3,
    outputPerMillionUsd: 15,
    cachedInputPerMillionUsd: 0.3,
    asOf: '2025-06-01',
  },
  {
    model: 'claude-3-5-haiku',
    provider: 'anthropic',
    inputPerMillionUsd: 0.8,
    outputPerMillionUsd: 4,
    cachedInputPerMillionUsd: 0.08,
    asOf: '2025-06-01',
  },
  {
    model: 'claude-opus-4',
    provider: 'anthropic',
    inputPerMillionUsd: 15,
    outputPerMillionUsd: 75,
    cachedInputPerMillionUsd: 1.5,
    asOf: '2025-06-01',
  },
  {
    model: 'gemini-2.5-flash',
    provider: 'google',
    inputPerMillionUsd: 0.3,
    outputPerMillionUsd: 2.5,
    cachedInputPerMillionUsd: 0.075,
    asOf: '2025-06-01',
  },
  {
    model: 'gemini-2.5-pro',
    provider: 'google',
    inputPerMillionUsd: 1.25,
    outputPerMillionUsd: 10,
    cachedInputPerMillionUsd: 0.31,
    asOf: '2025-06-01',
  },
  {
    model: 'gpt-4.1-nano',
    provider: 'openai',
    inputPerMillionUsd: 0.1,
    outputPerMillionUsd: 0.4,
    cachedInputPerMillionUsd: 0.025,
    asOf: '2025-06-01',
  },
  {
    model: 'gpt-5',
    provider: 'openai',
    inputPerMillionUsd: 1.25,
    outputPerMillionUsd: 10,
    cachedInputPerMillionUsd: 0.125,
    asOf: '2025-08-07',
  },
  {
    model: 'gpt-5-mini',
    provider: 'openai',
    inputPerMillionUsd: 0.25,
    outputPerMillionUsd: 2,
    cachedInputPerMillionUsd: 0.025,
    asOf: '2025-08-07',
  },
  {
    model: 'gpt-5-nano',
    provider: 'openai',
    inputPerMillionUsd: 0.05,
    outputPerMillionUsd: 0.4,
    cachedInputPerMillionUsd: 0.005,
    asOf: '2025-08-07',
  },
  {
    model: 'text-embedding-3-large',
    provider: 'openai',
    inputPerMillionUsd: 0.13,
    outputPerMillionUsd: 0,
    asOf: '2025-06-01',
  },
  {
    model: 'claude-sonnet-4-5',
    provider: 'anthropic',
    inputPerMillionUsd: 3,
    outputPerMillionUsd: 15,
    cachedInputPerMillionUsd: 0.3,
    asOf: '2025-09-29',
  },
  {
    model: 'claude-haiku-4-5',
    provider: 'anthropic',
    inputPerMillionUsd: 1,
    outputPerMillionUsd: 5,
    cachedInputPerMillionUsd: 0.1,
    asOf: '2025-10-15',
  },
  {
    model: 'nova-pro',
    inputPerMillionUsd: 0.8,
    outputPerMillionUsd: 3.2,
    asOf: '2025-06-01',
  },
  {
    model: 'nova-lite',
    inputPerMillionUsd: 0.06,
    outputPerMillionUsd: 0.24,
    asOf: '2025-06-01',
  },
  {
    model: 'nova-micro',
    inputPerMillionUsd: 0.035,
    outputPerMillionUsd: 0.14,
    asOf: '2025-06-01',
  },
];
