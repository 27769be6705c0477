import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES } from '../../shared/catalog/default-prices.ts';
import { createPricer, findPrice, modelCandidates } from '../../shared/catalog/pricing.ts';
import type { ModelPrice } from '../../shared/catalog/schema.ts';

const override: ModelPrice = {
  model: 'gpt-4o-mini',
  provider: 'openai',
  inputPerMillionUsd: 0.1,
  outputPerMillionUsd: 0.5,
  asOf: '2026-10-01',
};

describe('createPricer', () => {
  it('prices input, cached input and output tokens exactly in nano-USD, and names the entry and its date', () => {
    // Prepare
    const price = createPricer([]);

    // Act
    const plain = price({ model: 'gpt-4o-mini', inputTokens: 1000, outputTokens: 200 });
    const cached = price({
      model: 'gpt-4o-mini',
      inputTokens: 1000,
      cachedInputTokens: 400,
      outputTokens: 200,
    });

    // Assess: 1000 × $0.15/M + 200 × $0.60/M = $0.00027; 400 of the input at $0.075/M saves $0.00003
    expect(plain).toEqual({ costNanos: 270_000n, priceRef: 'openai/gpt-4o-mini@2025-06-01' });
    expect(cached?.costNanos).toBe(240_000n);
  });

  it('keeps the cost of a single embedding call instead of rounding it to zero', () => {
    // Prepare
    const price = createPricer([]);

    // Act
    const result = price({ model: 'text-embedding-3-small', inputTokens: 10, outputTokens: 0 });

    // Assess: 10 × $0.02/M = $0.0000002
    expect(result?.costNanos).toBe(200n);
  });

  it('lets a catalog price override the default for the same model', () => {
    // Prepare
    const price = createPricer([override]);

    // Act
    const result = price({
      model: 'gpt-4o-mini',
      provider: 'openai',
      inputTokens: 1_000_000,
      outputTokens: 0,
    });

    // Assess
    expect(result).toEqual({ costNanos: 100_000_000n, priceRef: 'openai/gpt-4o-mini@2026-10-01' });
  });

  it('returns no price for an unknown model or another provider, so the event counts as unpriced', () => {
    // Prepare
    const price = createPricer([]);

    // Act
    const unknown = price({ model: 'acme-embed-v2', provider: 'acme', inputTokens: 800, outputTokens: 0 });
    const otherProvider = price({
      model: 'gpt-4o-mini',
      provider: 'azure',
      inputTokens: 800,
      outputTokens: 0,
    });

    // Assess
    expect(unknown).toBeUndefined();
    expect(otherProvider).toBeUndefined();
  });
});

describe('findPrice', () => {
  it('prices dated snapshots and Bedrock model ids at their family price', () => {
    // Prepare
    const table = DEFAULT_PRICES;

    // Act
    const openAiSnapshot = findPrice(table, 'gpt-4o-mini-2024-07-18');
    const anthropicSnapshot = findPrice(table, 'claude-sonnet-4-20250514');
    const bedrock = findPrice(table, 'us.anthropic.claude-sonnet-4-20250514-v1:0');
    const nova = findPrice(table, 'amazon.nova-lite-v1:0', 'aws.bedrock');

    // Assess
    expect(openAiSnapshot?.model).toBe('gpt-4o-mini');
    expect(anthropicSnapshot?.model).toBe('claude-sonnet-4');
    expect(bedrock?.model).toBe('claude-sonnet-4');
    expect(nova?.model).toBe('nova-lite');
  });

  it('never lets a model price a longer name that is a different model', () => {
    // Prepare
    const table = DEFAULT_PRICES.filter((p) => p.model === 'gpt-4o');

    // Act
    const mini = findPrice(table, 'gpt-4o-mini');

    // Assess
    expect(mini).toBeUndefined();
    expect(modelCandidates('gpt-4o-mini')).toEqual(['gpt-4o-mini']);
  });
});

describe('DEFAULT_PRICES', () => {
  it('gives every entry a date and a cached rate no higher than the input rate', () => {
    // Prepare
    const entries = DEFAULT_PRICES;

    // Act
    const problems = entries.filter(
      (p) =>
        !/^\d{4}-\d{2}-\d{2}$/.test(p.asOf) ||
        (p.cachedInputPerMillionUsd ?? 0) > p.inputPerMillionUsd ||
        entries.filter((q) => q.model === p.model).length > 1,
    );

    // Assess
    expect(entries.length).toBeGreaterThanOrEqual(15);
    expect(problems).toEqual([]);
  });
});

describe('what providers bill beyond input and output', () => {
  it('prices cache reads, cache writes and reasoning tokens at their own rates, inside the input and output counts by default', () => {
    // Prepare
    const price = createPricer([
      {
        model: 'acme-large',
        inputPerMillionUsd: 4,
        outputPerMillionUsd: 20,
        cachedInputPerMillionUsd: 0.4,
        cacheCreationInputPerMillionUsd: 5,
        reasoningOutputPerMillionUsd: 30,
        asOf: '2026-11-01',
      },
    ]);

    // Act
    const result = price({
      model: 'acme-large',
      inputTokens: 1_000,
      cachedInputTokens: 300,
      cacheCreationInputTokens: 200,
      outputTokens: 100,
      reasoningOutputTokens: 40,
    });

    // Assess: 500 × $4 + 300 × $0.40 + 200 × $5 + 60 × $20 + 40 × $30, per million
    expect(result?.costNanos).toBe(5_520_000n);
  });

  it('adds cached and reasoning tokens to the counts for a price whose provider reports them apart', () => {
    // Prepare
    const apart = {
      model: 'acme-large',
      inputPerMillionUsd: 4,
      outputPerMillionUsd: 20,
      cachedInputPerMillionUsd: 0.4,
      cacheCreationInputPerMillionUsd: 5,
      inputIncludesCache: false,
      outputIncludesReasoning: false,
      asOf: '2026-11-01',
    };
    const price = createPricer([apart]);

    // Act
    const result = price({
      model: 'acme-large',
      inputTokens: 500,
      cachedInputTokens: 300,
      cacheCreationInputTokens: 200,
      outputTokens: 60,
      reasoningOutputTokens: 40,
    });

    // Assess: the same call as above, reported the other way; reasoning at the output rate here
    expect(result?.costNanos).toBe(500n * 4_000n + 300n * 400n + 200n * 5_000n + 100n * 20_000n);
  });

  it('never prices a part beyond its whole when the counts include it', () => {
    // Prepare
    const price = createPricer([]);

    // Act: a producer reporting more cached tokens than input tokens
    const result = price({ model: 'gpt-4o-mini', inputTokens: 100, cachedInputTokens: 500, outputTokens: 0 });

    // Assess: all 100 at the cached rate of $0.075/M
    expect(result?.costNanos).toBe(7_500n);
  });
});

describe('Bedrock ids and aliases', () => {
  it.each([
    ['anthropic.claude-sonnet-4-20250514-v1:0', 'aws.bedrock'],
    ['us.anthropic.claude-sonnet-4-20250514-v1:0', 'aws.bedrock'],
    [
      'arn:aws:bedrock:us-east-1:000000000000:inference-profile/eu.anthropic.claude-sonnet-4-20250514-v1:0',
      undefined,
    ],
    ['claude-sonnet-4-20250514', 'anthropic'],
  ])('prices %s (provider %s) like the vendor entry', (model, provider) => {
    // Act
    const entry = findPrice(DEFAULT_PRICES, model, provider);

    // Assess
    expect(entry).toMatchObject({ model: 'claude-sonnet-4', provider: 'anthropic' });
  });

  it('does not give a vendor-less id of another provider the vendor price', () => {
    // Act
    const entry = findPrice(DEFAULT_PRICES, 'claude-sonnet-4', 'aws.bedrock');

    // Assess: only a Bedrock id names its vendor
    expect(entry).toBeUndefined();
  });

  it('prices an alias the catalog gives, such as a deployment name', () => {
    // Prepare
    const price = createPricer([
      { ...override, model: 'gpt-4o', aliases: ['prod-chat-deployment'], provider: 'azure' },
    ]);

    // Act
    const result = price({
      model: 'prod-chat-deployment',
      provider: 'azure',
      inputTokens: 1_000_000,
      outputTokens: 0,
    });

    // Assess
    expect(result?.priceRef).toBe('azure/gpt-4o@2026-10-01');
    expect(result?.costNanos).toBe(100_000_000n);
  });
});
