import {
  assignVariant,
  createRecorder,
  RecorderConfigError,
  type RecorderError,
  type RecorderOptions,
} from '@yardstick/events/recorder';
import { describe, expect, it } from 'vitest';
import { FakeEventBridge } from './recorder-support.ts';

// Variants as the recorder stamps them: per recorder, per run (overriding the recorder's), per event
// (overriding both), on usage, outcome and override events alike.

const usage = { model: 'gpt-4o-mini', inputTokens: 100, outputTokens: 20, latencyMs: 300 } as const;

const setup = (options: Partial<RecorderOptions> = {}) => {
  const client = new FakeEventBridge();
  const errors: RecorderError[] = [];
  const recorder = createRecorder({
    workflowId: 'invoice-triage',
    source: 'acme.invoice-bot',
    client,
    onError: (error) => errors.push(error),
    random: () => 1,
    ...options,
  });
  return { client, errors, recorder };
};

/** Records one run of each event type with `variant` (or none) as the run's option. */
const recordRun = (recorder: ReturnType<typeof setup>['recorder'], runId: string, variant?: string) =>
  recorder.run(
    (run) => {
      run.usage(usage);
      run.override({ decision: 'edited', reasonCode: 'tone' });
      run.outcome({ status: 'succeeded', durationMs: 1_000 });
    },
    { runId, ...(variant !== undefined ? { variant } : {}) },
  );

describe('the recorder’s variants', () => {
  it('stamps the recorder’s variant on usage, outcome and override events', async () => {
    // Prepare
    const { client, errors, recorder } = setup({ variant: 'prompt-v2' });

    // Act
    recorder.usage(usage);
    recorder.outcome({ status: 'succeeded' });
    recorder.override({ decision: 'accepted' });
    await recordRun(recorder, 'run-1');
    await recorder.flush();

    // Assess
    expect(errors).toEqual([]);
    expect(client.details().map((d) => d.variant)).toEqual(Array(6).fill('prompt-v2'));
  });

  it('sends no variant when none is set, so the events count as default', async () => {
    // Prepare
    const { client, recorder } = setup();

    // Act
    await recordRun(recorder, 'run-1');
    await recorder.flush();

    // Assess
    expect(client.details()).toHaveLength(3);
    expect(client.details().every((d) => !('variant' in d))).toBe(true);
  });

  it('lets a run’s variant override the recorder’s, and an event’s own override the run’s', async () => {
    // Prepare
    const { client, errors, recorder } = setup({ variant: 'ai' });

    // Act
    await recordRun(recorder, 'run-human', 'human');
    await recorder.run(
      (run) => {
        run.usage({ ...usage, variant: 'ai-fallback' });
        run.outcome({ status: 'failed' });
      },
      { runId: 'run-mixed', variant: 'ai-v2' },
    );
    await recordRun(recorder, 'run-plain');
    await recorder.flush();

    // Assess
    expect(errors).toEqual([]);
    expect(client.details().map((d) => [d.runId, d.variant])).toEqual([
      ['run-human', 'human'],
      ['run-human', 'human'],
      ['run-human', 'human'],
      ['run-mixed', 'ai-fallback'],
      ['run-mixed', 'ai-v2'],
      ['run-plain', 'ai'],
      ['run-plain', 'ai'],
      ['run-plain', 'ai'],
    ]);
  });

  it('refuses a malformed recorder variant at creation, and reports a malformed run variant per event', async () => {
    // Prepare
    const { client, errors, recorder } = setup();

    // Act
    const create = () => createRecorder({ workflowId: 'wf', source: 'acme', variant: 'Prompt V2' });
    await recordRun(recorder, 'run-1', 'Human');
    await recorder.flush();

    // Assess
    expect(create).toThrow(RecorderConfigError);
    expect(create).toThrow(/^variant: must be lower-case/);
    expect(client.details()).toEqual([]);
    expect(errors.map((e) => (e as { field?: string }).field)).toEqual(['variant', 'variant', 'variant']);
  });

  it('keeps a retried run in its arm: the same runId is assigned the same variant on every attempt', async () => {
    // Prepare
    const { client, recorder } = setup();
    const weights = { ai: 0.5, human: 0.5 };
    const runIds = Array.from({ length: 20 }, (_, i) => `invoice-${i}`);
    const attempt = (runId: string, fail: boolean) =>
      recorder.run(
        (run) => {
          run.usage(usage);
          if (fail) throw new Error('model timed out');
          run.outcome({ status: 'succeeded' });
        },
        { runId, variant: assignVariant(runId, weights) },
      );

    // Act
    for (const runId of runIds) await attempt(runId, true).catch(() => undefined);
    for (const runId of runIds) await attempt(runId, false);
    await recorder.flush();

    // Assess
    const armsOf = new Map<string, Set<unknown>>();
    for (const d of client.details())
      armsOf.set(String(d.runId), (armsOf.get(String(d.runId)) ?? new Set()).add(d.variant));
    expect(client.details()).toHaveLength(80);
    expect([...armsOf.values()].every((arms) => arms.size === 1)).toBe(true);
    expect(new Set([...armsOf.values()].flatMap((arms) => [...arms]))).toEqual(new Set(['ai', 'human']));
  });
});
