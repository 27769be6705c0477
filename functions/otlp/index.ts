import { loadCatalogFromEnvironment } from '../../shared/catalog/load.ts';
import { readFunctionConfig } from '../../shared/config/environment.ts';
import { onFirstCall } from '../../shared/lambda/first-call.ts';

// A bad setting or catalog fails here, at cold start, naming the variable.
const config = readFunctionConfig('otlp', process.env);
const catalog = loadCatalogFromEnvironment();

/** Lambda entry point behind the HTTP API's `POST /v1/traces` and `POST /v1/logs` routes. */
export const handler = onFirstCall(() =>
  import('./wiring.ts').then(({ wireOtlp }) => wireOtlp(config, catalog)),
);
