import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/**
 * Runs cdk-nag's AWS Solutions pack and the Control Tower proactive controls (cfn-guard, offline) on
 * every synth. An unacknowledged error fails `cdk synth`; the full report, acknowledgements and their
 * reasons included, is written to `validation-report.json` in the cloud assembly, and nag
 * acknowledgements are also copied into each resource's template metadata for auditors.
 *
 * Acknowledge a finding next to the resource it concerns, with the reason:
 * `Validations.of(construct).acknowledge({ id, reason })`.
 *
 * @example
 * ```ts
 * const app = new App();
 * addComplianceChecks(app);
 * ```
 */
export const addComplianceChecks = (app: App): void => {
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }),
    new CfnGuardValidator(),
  );
};
