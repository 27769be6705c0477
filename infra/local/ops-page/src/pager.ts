import { formatCount } from '../../../../shared/format/rates.ts';
import { el } from './dom.ts';

/** Where the fleet's pager stands: the table page, how many workflows are loaded, whether the API has more. */
export interface PagerState {
  readonly page: number;
  readonly pages: number;
  readonly loaded: number;
  readonly moreInApi: boolean;
}

/** What the pager's buttons do. */
export interface PagerActions {
  readonly previous: () => void;
  readonly next: () => void;
  readonly loadMore: () => void;
}

/**
 * Previous / next through the loaded workflows, and "load more" for the API's next page (its
 * `nextToken`): one request per click, never one per workflow.
 *
 * @example
 * ```ts
 * nav.replaceChildren(...pagerControls({ page: 0, pages: 8, loaded: 200, moreInApi: true }, actions));
 * ```
 */
export const pagerControls = (state: PagerState, actions: PagerActions): HTMLElement[] => {
  const button = (label: string, name: string, disabled: boolean, onClick: () => void) => {
    const b = el('button', { type: 'button', 'data-pager': name, disabled }, label);
    b.addEventListener('click', onClick);
    return b;
  };
  return [
    button('‹ Previous', 'previous', state.page === 0, actions.previous),
    el(
      'span',
      { class: 'pager-position' },
      `page ${state.page + 1} of ${Math.max(1, state.pages)} · ${formatCount(state.loaded)} workflows loaded`,
    ),
    button('Next ›', 'next', state.page >= state.pages - 1, actions.next),
    state.moreInApi ? button('Load more workflows', 'load-more', false, actions.loadMore) : el('span', {}),
  ];
};
