import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../../shared/catalog/load.ts';
import { buildDigest } from '../../shared/digest/build.ts';
import { renderDigest } from '../../shared/digest/produce.ts';
import { HTML_BUDGET_BYTES } from '../../shared/digest/render-html.ts';
import { wrap } from '../../shared/digest/render-text.ts';
import { type Counters, emptyCounters } from '../../shared/metrics/counters.ts';

const USD = 1_000_000_000n;

const week = (succeeded: bigint, accepted: bigint, edited: bigint): Counters => {
  const c = emptyCounters();
  Object.assign(c.values, {
    usageEvents: succeeded + 5n,
    costReportedNanos: 3n * USD,
    succeeded,
    failed: 5n,
    accepted,
    edited,
  });
  c.reasons.set('hallucination', edited);
  return c;
};

// A fleet of `size` workflows, one of them with a name that needs escaping.
const fleet = (size: number) => {
  const workflows = Array.from({ length: size }, (_, i) => ({
    id: `workflow-${i}`,
    name: i === 0 ? '<b>R&D</b> "triage"' : `Workflow number ${i} with a rather long descriptive name`,
    ownerTeam: 'Operations',
    stage: 'production',
    valuePerSuccessUsd: 2 + i,
    targets: { maxOverrideRate: 0.2 },
  }));
  const catalog = parseCatalog({ version: 1, workflows }, 'catalog.json');
  return buildDigest({
    week: '2026-W47',
    generatedAt: '2026-11-25T12:00:00.000Z',
    catalog,
    workflows: workflows.map((w, i) => ({
      workflowId: w.id,
      current: week(80n + BigInt(i), 40n, BigInt(i % 3) * 10n),
      previous: week(70n, 40n, 5n),
    })),
  });
};

describe('renderDigest', () => {
  it('renders e-mail HTML without scripts, styles, external assets, SVG or canvas', () => {
    // Prepare
    const digest = fleet(5);

    // Act
    const { html } = renderDigest(digest);

    // Assess
    expect(html).toMatch(/^<!DOCTYPE html>/);
    for (const forbidden of [
      /<script/i,
      /<style/i,
      /<link/i,
      /<img/i,
      /<svg/i,
      /<canvas/i,
      /\bsrc=/i,
      /url\(/i,
      /https?:\/\//i,
      /\bon[a-z]+=/i,
    ]) {
      expect(html).not.toMatch(forbidden);
    }
    expect(html).toContain('&lt;b&gt;R&amp;D&lt;/b&gt; &quot;triage&quot;');
  });

  it('keeps full workflow cards and the chart under 100 KB for a fleet of 25 workflows', () => {
    // Prepare
    const digest = fleet(25);

    // Act
    const { html } = renderDigest(digest);

    // Assess
    expect(Buffer.byteLength(html)).toBeLessThan(100 * 1024);
    expect(html).toContain('id="net-value-chart"');
    expect(html.match(/id="workflow-/g)).toHaveLength(25);
  });

  it('shortens, then cuts, the list of a very large fleet to stay under Gmail clipping size', () => {
    // Prepare
    const digest = fleet(400);

    // Act
    const { html, text } = renderDigest(digest);

    // Assess
    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(HTML_BUDGET_BYTES);
    expect(html).toMatch(
      /\d+ more workflows are in the text and JSON digests \(GET \/digest\?week=2026-W47\)/,
    );
    expect(html).toContain(digest.headline);
    expect(text.match(/^\[/gm)).toHaveLength(400);
  });

  it('renders text that names every verdict and reason, wrapped for mail clients', () => {
    // Prepare
    const digest = fleet(3);

    // Act
    const { text } = renderDigest(digest);

    // Assess
    for (const w of digest.workflows) {
      expect(text).toContain(`[${w.verdictLabel.toUpperCase()}] ${w.name}`);
      expect(text.replace(/\s+/g, ' ')).toContain(w.reason);
    }
    expect(
      text.split('\n').filter((line) => line.length > 76 && line.includes(' ') && !line.startsWith('[')),
    ).toEqual([]);
  });

  it('renders JSON that reads back as the same model, and a subject with the net value and verdicts', () => {
    // Prepare
    const digest = fleet(3);

    // Act
    const rendered = renderDigest(digest);

    // Assess
    expect(JSON.parse(rendered.json)).toEqual(digest);
    expect(rendered.subject).toMatch(/^Yardstick 2026-W47: net value \$[\d,.]+ · \d+ to (scale|fix|watch)/);
  });
});

describe('wrap', () => {
  it('breaks at spaces within the width and indents continuation lines', () => {
    // Prepare
    const text = 'one two three four five six';

    // Act
    const wrapped = wrap(text, '  ', 12);

    // Assess
    expect(wrapped).toBe('  one two\n  three four\n  five six');
  });
});
