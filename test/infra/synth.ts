import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, Validations } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';

/** Shared by the infra tests (not a test file itself). */

/** Context that skips asset bundling: for tests about configuration rather than the bundles. */
export const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] } as const;

export const tempOutdir = (): string => mkdtempSync(join(tmpdir(), 'yardstick-cdk-'));

interface ReportViolation {
  readonly ruleName: string;
  readonly severity?: string;
  readonly reason?: string;
  readonly violatingConstructs?: readonly { readonly constructPath?: string }[];
}

interface PluginReport {
  readonly pluginName: string;
  readonly conclusion: string;
  readonly violations: readonly ReportViolation[];
  readonly suppressedViolations?: readonly ReportViolation[];
}

export interface ValidationReport {
  readonly pluginReports: readonly PluginReport[];
}

/** Synthesizes (running every registered validation plugin) and returns the validation report. */
export const synthWithReport = (app: App): ValidationReport => {
  const assembly = app.synth();
  try {
    return JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'));
  } catch {
    return { pluginReports: [] };
  }
};

/** Every finding that was not acknowledged, as `plugin rule @ construct path` lines. */
export const unacknowledgedFindings = (report: ValidationReport): string[] =>
  report.pluginReports.flatMap((plugin) =>
    plugin.violations.flatMap((violation) =>
      (violation.violatingConstructs ?? [{}]).map(
        (c) => `${plugin.pluginName} ${violation.ruleName} @ ${c.constructPath ?? '?'}`,
      ),
    ),
  );

/** Every acknowledgement recorded on the construct tree: `{ path, id, reason }`. */
export const acknowledgements = (root: IConstruct) =>
  root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id,
          reason,
        })),
      ),
  );

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; [k: string]: unknown }>;

/** Resources of one type, by logical id. */
export const resourcesOf = (template: Template, type: string): Resources =>
  template.findResources(type) as Resources;

/** The only resource of a type (fails when there are none or several). */
export const onlyResource = (template: Template, type: string) => {
  const found = Object.entries(resourcesOf(template, type));
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
  const [logicalId, resource] = found[0] as [string, Resources[string]];
  return { logicalId, properties: resource.Properties ?? {}, resource };
};

/** Statements of every IAM policy (identity policies and inline role policies) in the template. */
export const iamStatements = (template: Template) =>
  Object.entries(resourcesOf(template, 'AWS::IAM::Policy')).flatMap(([logicalId, policy]) =>
    (
      (policy.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] } | undefined)
        ?.Statement ?? []
    ).map((statement) => ({
      policy: logicalId,
      actions: ([] as unknown[]).concat(statement.Action ?? []) as string[],
      resources: ([] as unknown[]).concat(statement.Resource ?? []),
      statement,
    })),
  );

/** True when a CloudFormation value references the logical id (Ref or Fn::GetAtt, at any depth). */
export const references = (value: unknown, logicalId: string): boolean =>
  JSON.stringify(value).includes(`"${logicalId}"`);

/** A function's environment variables. */
export const environmentOf = (
  fn: { Properties?: Record<string, unknown> } | undefined,
): Record<string, string> =>
  (fn?.Properties?.Environment as { Variables?: Record<string, string> } | undefined)?.Variables ?? {};
