import { VERDICT_COLOURS } from '../../../../shared/digest/html-parts.ts';
import type { DigestWorkflow, WorkflowListEntry } from './api.ts';
import { el } from './dom.ts';

/**
 * The digest's verdict as a badge, in the digest's own colours (shared/digest/html-parts.ts), its
 * reason as the tooltip.
 *
 * @example
 * ```ts
 * cell.append(verdictBadge(verdicts.byWorkflow.get('invoice-triage')));
 * ```
 */
export const verdictBadge = (verdict: DigestWorkflow): HTMLElement => {
  const badge = el('span', { class: 'badge', title: verdict.reason }, verdict.verdictLabel);
  badge.style.background = VERDICT_COLOURS[verdict.verdict];
  return badge;
};

/** The catalog stage, or "not in catalog" for a workflow only the events know. */
export const stagePill = (stage: WorkflowListEntry['stage']): HTMLElement =>
  el('span', { class: `pill ${stage ? `stage-${stage}` : 'stage-none'}` }, stage ?? 'not in catalog');
