export { decideVerdict, type VerdictInput } from './decide.ts';
export { FindingCode, type VerdictMetrics } from './rules.ts';
export { effectiveTargets } from './targets.ts';
export * from './verdict.ts';
