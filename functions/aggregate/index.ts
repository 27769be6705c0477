import { loadCatalogFromEnvironment } from '../../shared/catalog/load.ts';
import { readFunctionConfig } from '../../shared/config/environment.ts';
import { onFirstCall } from '../../shared/lambda/first-call.ts';

// A bad setting or catalog fails here, at cold start, naming the variable.
const config = readFunctionConfig('aggregate', process.env);
const catalog = loadCatalogFromEnvironment();

/** Lambda entry point: dependencies from the environment the CDK stack sets, loaded by the first batch. */
export const handler = onFirstCall(() =>
  import('./wiring.ts').then(({ wireAggregate }) => wireAggregate(config, catalog)),
);
