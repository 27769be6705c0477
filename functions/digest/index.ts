import { loadCatalogFromEnvironment } from '../../shared/catalog/load.ts';
import { readFunctionConfig, Variables } from '../../shared/config/environment.ts';
import { onFirstCall } from '../../shared/lambda/first-call.ts';

// A bad setting or catalog, or no sender, fails here, at cold start, naming the variable.
const config = readFunctionConfig('digest', process.env);
const catalog = loadCatalogFromEnvironment();
const sender = config.digestSender ?? catalog.catalog.digest.sender;
if (!sender)
  throw new Error(`${Variables.digestSender.name} is not set and the catalog names no digest.sender`);

/** Lambda entry point: dependencies from the environment the CDK stack sets, loaded by the first run. */
export const handler = onFirstCall(() =>
  import('./wiring.ts').then(({ wireDigest }) => wireDigest(config, catalog, sender)),
);
