import { loadCatalogFromEnvironment } from '../../shared/catalog/load.ts';
import { readFunctionConfig } from '../../shared/config/environment.ts';
import { onFirstCall } from '../../shared/lambda/first-call.ts';

// A bad setting or catalog fails here, at cold start, naming the variable.
const config = readFunctionConfig('api', process.env);
const catalog = loadCatalogFromEnvironment();

/** Lambda entry point behind the HTTP API; its dependencies load with the first request. */
export const handler = onFirstCall(() =>
  import('./wiring.ts').then(({ wireApi }) => wireApi(config, catalog)),
);
