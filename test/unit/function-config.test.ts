import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LATENESS_DAYS } from '../../events/validate.ts';
import { loadCatalogFromEnvironment } from '../../shared/catalog/load.ts';
import {
  ConfigurationError,
  functionEnvironment,
  readFunctionConfig,
  Variables,
} from '../../shared/config/environment.ts';
import { ProducerLimits } from '../../shared/limits.ts';
import { DEFAULT_TABLE_NAME } from '../../shared/store/dynamodb/table.ts';
import { INGEST_METRICS_NAMESPACE, INGEST_METRICS_SERVICE } from '../../shared/telemetry/ingest-metrics.ts';

const errorOf = (act: () => unknown): ConfigurationError => {
  try {
    act();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
};

describe('readFunctionConfig', () => {
  it('applies every default when nothing is set', () => {
    // Act
    const config = readFunctionConfig('aggregate', {});
    // Assess
    expect(config).toEqual({
      tableName: DEFAULT_TABLE_NAME,
      serviceName: INGEST_METRICS_SERVICE,
      logLevel: undefined,
      catalog: undefined,
      catalogFile: undefined,
      latenessDays: DEFAULT_LATENESS_DAYS,
      perWorkflowMetrics: 'catalog',
      maxNewWorkflowsPerDay: ProducerLimits.newWorkflowsPerDay,
      metricsNamespace: INGEST_METRICS_NAMESPACE,
    });
  });

  it('reads good values, typed', () => {
    // Prepare
    const env = {
      TABLE_NAME: 'yardstick-prod',
      LATENESS_DAYS: '7',
      PER_WORKFLOW_METRICS: 'all',
      MAX_NEW_WORKFLOWS_PER_DAY: '250',
      POWERTOOLS_LOG_LEVEL: 'debug',
    };
    // Act
    const config = readFunctionConfig('aggregate', env);
    // Assess
    expect(config).toMatchObject({
      tableName: 'yardstick-prod',
      latenessDays: 7,
      perWorkflowMetrics: 'all',
      maxNewWorkflowsPerDay: 250,
      logLevel: 'DEBUG',
    });
  });

  it('reads only the variables of the function asked for', () => {
    // Act
    const api = readFunctionConfig('api', {
      LATENESS_DAYS: 'not read by the api',
      TABLE_NAME: 'yardstick-test',
    });
    const digest = readFunctionConfig('digest', { DIGEST_SENDER: 'digest@example.com' });
    // Assess
    expect(Object.keys(api).sort()).toEqual([
      'catalog',
      'catalogFile',
      'logLevel',
      'serviceName',
      'tableName',
    ]);
    expect(api.serviceName).toBe('yardstick-api');
    expect(digest.digestSender).toBe('digest@example.com');
  });

  it.each([
    ['aggregate', 'LATENESS_DAYS', '0'],
    ['aggregate', 'LATENESS_DAYS', '36'],
    ['aggregate', 'LATENESS_DAYS', '7.5'],
    ['aggregate', 'LATENESS_DAYS', 'seven'],
    ['aggregate', 'PER_WORKFLOW_METRICS', 'some'],
    ['aggregate', 'MAX_NEW_WORKFLOWS_PER_DAY', '0'],
    ['aggregate', 'MAX_NEW_WORKFLOWS_PER_DAY', '-5'],
    ['aggregate', 'POWERTOOLS_METRICS_NAMESPACE', ' '],
    ['api', 'TABLE_NAME', ''],
    ['api', 'TABLE_NAME', 'a b'],
    ['api', 'POWERTOOLS_LOG_LEVEL', 'LOUD'],
    ['api', 'YARDSTICK_CATALOG_FILE', ''],
    ['digest', 'DIGEST_SENDER', 'not-an-address'],
  ] as const)('refuses %s %s=%j at cold start, naming the variable', (fn, name, value) => {
    // Act
    const error = errorOf(() => readFunctionConfig(fn, { [name]: value }));
    // Assess
    expect(error.issues.map((issue) => issue.variable)).toEqual([name]);
    expect(error.message).toContain(`${name} `);
    expect(error.message).toContain(`got "${value}"`);
  });

  it('reports every bad variable at once', () => {
    // Act
    const error = errorOf(() => readFunctionConfig('aggregate', { LATENESS_DAYS: '99', TABLE_NAME: 'x' }));
    // Assess
    expect(error.issues.map((issue) => issue.variable).sort()).toEqual(['LATENESS_DAYS', 'TABLE_NAME']);
  });
});

describe('functionEnvironment', () => {
  it('writes the given values under their names, plus the ones Powertools reads itself', () => {
    // Act
    const environment = functionEnvironment('aggregate', { tableName: 'yardstick', latenessDays: 30 });
    // Assess
    expect(environment).toEqual({
      TABLE_NAME: 'yardstick',
      LATENESS_DAYS: '30',
      POWERTOOLS_SERVICE_NAME: INGEST_METRICS_SERVICE,
      POWERTOOLS_METRICS_NAMESPACE: INGEST_METRICS_NAMESPACE,
    });
  });

  it('round-trips: what the stack writes is what the function reads', () => {
    // Prepare
    const values = {
      tableName: 'yardstick-prod',
      latenessDays: 14,
      perWorkflowMetrics: 'off',
      maxNewWorkflowsPerDay: 40,
    } as const;
    // Act
    const config = readFunctionConfig('aggregate', functionEnvironment('aggregate', values));
    // Assess
    expect(config).toMatchObject(values);
  });

  it('fails the synth on a bad value, naming the variable', () => {
    // Act
    const error = errorOf(() => functionEnvironment('aggregate', { maxNewWorkflowsPerDay: 0 }));
    // Assess
    expect(error.issues).toEqual([
      expect.objectContaining({ variable: 'MAX_NEW_WORKFLOWS_PER_DAY', value: '0' }),
    ]);
  });

  it('passes deploy-time values through unvalidated when told they are unresolved', () => {
    // Prepare: a CDK token stands for the table name until deploy.
    const token = `\${Token[TOKEN.123]}`;
    // Act
    const environment = functionEnvironment(
      'api',
      { tableName: token },
      { isUnresolved: (value) => value.includes('${Token[') },
    );
    // Assess
    expect(environment.TABLE_NAME).toBe(token);
    expect(() => functionEnvironment('api', { tableName: token })).toThrow(ConfigurationError);
  });
});

describe('catalog variables', () => {
  it('are the names the catalog loader reads', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'yardstick-config-'));
    const file = join(dir, 'catalog.json');
    writeFileSync(file, JSON.stringify({ version: 1 }));
    // Act
    const fromFile = loadCatalogFromEnvironment({ [Variables.catalogFile.name]: file });
    const inline = loadCatalogFromEnvironment({ [Variables.catalog.name]: '{"version":1}' });
    // Assess
    expect(fromFile.origin).toBe(file);
    expect(inline.origin).toBe(Variables.catalog.name);
  });
});
