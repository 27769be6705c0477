import { formatCount, plural } from '../../../../shared/format/rates.ts';
import type { Api, PipelineResponse, QuarantineEntry } from './api.ts';
import { QUARANTINE_PAGE } from './budgets.ts';
import { el } from './dom.ts';

/** Where the panel draws, and what it needs to explain its count beside the pipeline's. */
export interface QuarantinePanel {
  readonly body: HTMLTableSectionElement;
  readonly hint: HTMLElement;
  readonly more: HTMLButtonElement;
  readonly api: Api;
  /** GET /pipeline's description of its `quarantined` counter (deliveries, not entries). */
  readonly counterMeaning: PipelineResponse['counters']['quarantined'];
}

/**
 * Newest first whatever order the API answers in (older APIs listed oldest first).
 *
 * @example
 * ```ts
 * newestFirst(page.events)[0].receivedAt; // the latest
 * ```
 */
export const newestFirst = (events: readonly QuarantineEntry[]): QuarantineEntry[] =>
  [...events].sort((a, b) => b.receivedAt.localeCompare(a.receivedAt) || a.id.localeCompare(b.id));

const row = (q: QuarantineEntry) =>
  el(
    'tr',
    { 'data-quarantine': q.id },
    el('td', { class: 'mono', title: q.receivedAt }, q.receivedAt.slice(11, 19)),
    el('td', {}, q.workflowId ?? el('span', { class: 'muted' }, 'unknown')),
    el('td', { class: 'mono' }, q.detailType ?? '—'),
    el('td', {}, el('span', { class: 'code' }, q.rejection.code)),
    el('td', { class: 'message', title: q.rejection.message }, q.rejection.message),
  );

/**
 * Loads today's quarantine a page at a time and draws it newest first; the hint says these are
 * distinct entries, while the pipeline's counter counts deliveries (in the API's words).
 *
 * @example
 * ```ts
 * const shown = await showQuarantine(panel); // the entries listed so far
 * ```
 */
export const showQuarantine = async (panel: QuarantinePanel): Promise<readonly QuarantineEntry[]> => {
  const loaded: QuarantineEntry[] = [];
  let date = '';
  const load = async (nextToken?: string) => {
    const page = await panel.api.quarantine(QUARANTINE_PAGE, nextToken);
    date = page.date;
    loaded.push(...page.events);
    const sorted = newestFirst(loaded);
    panel.body.replaceChildren(
      ...(sorted.length
        ? sorted.map(row)
        : [el('tr', {}, el('td', { colspan: 5, class: 'muted empty' }, 'Nothing quarantined today.'))]),
    );
    panel.hint.textContent = `${plural(sorted.length, 'distinct entry', 'distinct entries')}${page.nextToken ? ' so far' : ''} on ${date} (UTC), newest first · GET /quarantine. The pipeline's quarantined counter counts ${panel.counterMeaning}.`;
    panel.more.hidden = !page.nextToken;
    panel.more.textContent = `Show ${formatCount(QUARANTINE_PAGE)} more`;
    panel.more.onclick = page.nextToken
      ? () => {
          panel.more.disabled = true;
          load(page.nextToken).finally(() => {
            panel.more.disabled = false;
          });
        }
      : null;
  };
  await load();
  return loaded;
};
