/**
 * Records one workflow run with the TypeScript recorder, imported by package name as any
 * application would: a usage event and an outcome, then `close()` to deliver them.
 *
 *   npx tsx --conditions=@yardstick/source events/examples/typescript/record-run.ts invoice-triage
 *   AWS_ENDPOINT_URL=http://127.0.0.1:4010 AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=local \
 *     AWS_SECRET_ACCESS_KEY=local npx tsx --conditions=@yardstick/source events/examples/typescript/record-run.ts
 *
 * (The condition makes tsx read the package's TypeScript sources; an application that installed
 * `@yardstick/events` needs no flag.) Prints `{"sent":2,"dropped":0,"pending":0,"runId":"…"}`.
 */
import { createRecorder } from '@yardstick/events/recorder';

const workflowId = process.argv[2] ?? 'invoice-triage';
const recorder = createRecorder({ workflowId, source: 'acme.typescript-example' });

let runId = '';
await recorder.run(async (run) => {
  runId = run.runId;
  const started = Date.now();
  // … call your model here …
  run.usage({ model: 'gpt-4o-mini', inputTokens: 1200, outputTokens: 300, latencyMs: Date.now() - started });
  run.outcome({ status: 'succeeded', valueUsd: 4 });
});
const result = await recorder.close();
console.log(JSON.stringify({ ...result, runId }));
process.exitCode = result.dropped > 0 || result.pending > 0 ? 1 : 0;
