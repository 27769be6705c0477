import type { Api, Verdicts, WorkflowListEntry, WorkflowPage } from './api.ts';
import { FLEET_PAGE_ROWS } from './budgets.ts';
import type { FleetColumn } from './columns.ts';
import { byId } from './dom.ts';
import { type FleetView, fleetCards, fleetTable, pageRows } from './fleet.ts';
import { pagerControls } from './pager.ts';

/** What the fleet section starts from: the first page the API gave, and how to ask for more. */
export interface FleetSectionDeps {
  readonly api: Api;
  readonly verdicts: Verdicts | null;
  readonly columns: readonly FleetColumn[];
  readonly first: WorkflowPage;
}

/** What the section shows after each redraw. */
export interface FleetSnapshot {
  readonly loaded: readonly WorkflowListEntry[];
  readonly workflows: readonly string[];
  readonly shown: readonly string[];
  readonly page: number;
  readonly moreInApi: boolean;
}

/**
 * Draws the fleet (table and phone cards from the same rows) with its pager, and redraws on paging
 * or on loading the API's next page; `onChange` hears every redraw.
 *
 * @example
 * ```ts
 * showFleet({ api, verdicts, columns: fleetColumns(Date.now()), first }, (s) => publish(s));
 * ```
 */
export const showFleet = (deps: FleetSectionDeps, onChange: (snapshot: FleetSnapshot) => void): void => {
  const loaded: WorkflowListEntry[] = [...deps.first.workflows];
  let nextToken = deps.first.nextToken;
  let page = 0;
  const table = byId('fleet', HTMLTableElement);
  const draw = () => {
    const view: FleetView = { workflows: loaded, verdicts: deps.verdicts, columns: deps.columns, page };
    const { head, body } = fleetTable(view);
    table.tHead?.replaceChildren(head);
    table.tBodies[0]?.replaceChildren(...body);
    byId('fleet-cards', HTMLUListElement).replaceChildren(...fleetCards(view));
    const pages = Math.ceil(loaded.length / FLEET_PAGE_ROWS);
    byId('fleet-pager', HTMLElement).replaceChildren(
      ...pagerControls(
        { page, pages, loaded: loaded.length, moreInApi: nextToken !== undefined },
        {
          previous: () => {
            page = Math.max(0, page - 1);
            draw();
          },
          next: () => {
            page = Math.min(pages - 1, page + 1);
            draw();
          },
          loadMore: () => {
            void deps.api.workflows(deps.first.workflows.length, nextToken).then((more) => {
              loaded.push(...more.workflows);
              nextToken = more.nextToken;
              page = pages;
              draw();
            });
          },
        },
      ),
    );
    byId('fleet-hint', HTMLElement).textContent =
      `GET /workflows${deps.verdicts ? ` · verdicts from GET /digest?week=${deps.verdicts.week}` : ''} · flagged cells miss a catalog target`;
    onChange({
      loaded,
      workflows: loaded.map((w) => w.workflowId),
      shown: pageRows(view).map((w) => w.workflowId),
      page,
      moreInApi: nextToken !== undefined,
    });
  };
  draw();
};
