import { YardstickError } from '../errors.ts';
import type { FunctionName } from './functions.ts';
import {
  type DefaultedVariable,
  type FunctionConfig,
  type FunctionEnvironmentValues,
  FunctionVariables,
  type Variable,
  type VariableKey,
  Variables,
} from './variables.ts';

export {
  type FunctionConfig,
  type FunctionEnvironmentValues,
  Variables,
} from './variables.ts';

/** One variable that does not pass validation. */
export interface ConfigurationIssue {
  readonly variable: string;
  readonly problem: string;
  readonly value: string;
}

/** A function's environment is invalid; the message names each variable, what is wrong and its value. */
export class ConfigurationError extends YardstickError {
  constructor(
    readonly functionName: FunctionName,
    readonly issues: readonly ConfigurationIssue[],
  ) {
    super(
      `Invalid configuration of the ${functionName} function: ${issues
        .map((issue) => `${issue.variable} ${issue.problem}, got "${shorten(issue.value)}"`)
        .join('; ')}`,
    );
  }
}

const shorten = (value: string) => (value.length > 60 ? `${value.slice(0, 57)}...` : value);

const check = (key: VariableKey, raw: string): { value?: unknown; issue?: ConfigurationIssue } => {
  const spec: Variable<unknown> = Variables[key];
  const parsed = spec.schema.safeParse(raw);
  if (parsed.success) return { value: parsed.data };
  const problem = parsed.error.issues[0]?.message ?? 'is invalid';
  return { issue: { variable: spec.name, problem, value: raw } };
};

/**
 * Reads and validates a function's configuration; a bad value throws {@link ConfigurationError} at
 * cold start, naming the variable, rather than failing later on a request. An unset variable takes
 * its default; a variable set to an empty string is invalid.
 *
 * @example
 * ```ts
 * const config = readFunctionConfig('aggregate', process.env);
 * config.latenessDays; // 35 unless LATENESS_DAYS says otherwise
 * ```
 */
export const readFunctionConfig = <F extends FunctionName>(
  functionName: F,
  env: Readonly<Record<string, string | undefined>>,
): FunctionConfig<F> => {
  const config: Record<string, unknown> = {};
  const issues: ConfigurationIssue[] = [];
  for (const key of FunctionVariables[functionName] as readonly VariableKey[]) {
    const spec: Variable<unknown> & Partial<DefaultedVariable<unknown>> = Variables[key];
    const raw = env[spec.name];
    if (raw === undefined) {
      config[key] = spec.fallback?.(functionName);
      continue;
    }
    const { value, issue } = check(key, raw);
    if (issue) issues.push(issue);
    else config[key] = value;
  }
  if (issues.length > 0) throw new ConfigurationError(functionName, issues);
  return config as FunctionConfig<F>;
};

export interface FunctionEnvironmentOptions {
  /** Values resolved only at deploy (CDK tokens) cannot be validated at synth; the CDK passes `Token.isUnresolved`. */
  readonly isUnresolved?: (value: string) => boolean;
}

/**
 * A function's Lambda `environment`, from typed values: names from this module, values validated by
 * the same rules the function applies at cold start, so a bad value fails the synth. Unset values are
 * left out (the function applies its default), except the ones Powertools reads itself.
 *
 * @example
 * ```ts
 * environment: functionEnvironment('aggregate', { tableName: table.tableName, latenessDays: 30 }, { isUnresolved: Token.isUnresolved })
 * ```
 */
export const functionEnvironment = <F extends FunctionName>(
  functionName: F,
  values: FunctionEnvironmentValues<F>,
  options: FunctionEnvironmentOptions = {},
): Record<string, string> => {
  const environment: Record<string, string> = {};
  const issues: ConfigurationIssue[] = [];
  for (const key of FunctionVariables[functionName] as readonly VariableKey[]) {
    const spec: Variable<unknown> & Partial<DefaultedVariable<unknown>> = Variables[key];
    const given = (values as Record<string, unknown>)[key];
    const value = given ?? (spec.alwaysSet ? spec.fallback?.(functionName) : undefined);
    if (value === undefined) continue;
    const raw = String(value);
    const issue = options.isUnresolved?.(raw) ? undefined : check(key, raw).issue;
    if (issue) issues.push(issue);
    else environment[spec.name] = raw;
  }
  if (issues.length > 0) throw new ConfigurationError(functionName, issues);
  return environment;
};
