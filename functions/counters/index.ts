import { readFunctionConfig } from '../../shared/config/environment.ts';
import { onFirstCall } from '../../shared/lambda/first-call.ts';

// A bad setting fails here, at cold start, naming the variable.
const config = readFunctionConfig('counters', process.env);

/** Lambda entry point: dependencies from the environment the CDK stack sets, loaded by the first batch. */
export const handler = onFirstCall(() =>
  import('./wiring.ts').then(({ wireCounters }) => wireCounters(config)),
);
