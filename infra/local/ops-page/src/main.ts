// The local ops page: reads the query API of its own origin and draws the fleet, the workflows that
// matter most, the pipeline and the quarantine. Bundled by esbuild from these modules (bundle.ts).
import { PageLimits } from '../../../../shared/limits.ts';
import { DAY_MS, dayKey } from '../../../../shared/time.ts';
import { type Api, createApi, type Verdicts, type WorkflowListEntry } from './api.ts';
import { workflowCard } from './cards.ts';
import { setChartDefaults } from './chart-base.ts';
import { fleetColumns } from './columns.ts';
import { byId, el } from './dom.ts';
import { chartedWorkflows, isFlagged } from './flags.ts';
import { fleetTotals } from './fleet-figures.ts';
import { showFleet } from './fleet-section.ts';
import { fleetKpis, kpiTiles } from './kpis.ts';
import { trendsHint, WORKFLOW_PANELS } from './panels.ts';
import { renderPipeline } from './pipeline.ts';
import { portfolioView } from './portfolio.ts';
import { showQuarantine } from './quarantine.ts';
import { pageRange, rangeDays, rangeNav } from './range.ts';
import { publishState } from './state.ts';

const drawCards = async (
  api: Api,
  charted: readonly WorkflowListEntry[],
  verdicts: Verdicts | null,
  query: string,
) => {
  // Metrics and variants per charted workflow, and the charted are bounded (budgets.ts RequestBudget).
  const data = await Promise.all(
    charted.map(async (w) => {
      const [metrics, variants] = await Promise.all([
        api.metrics(w.workflowId, query),
        api.variants(w.workflowId, query),
      ]);
      return { metrics, variants };
    }),
  );
  const cards = charted.flatMap((w, i) => {
    const d = data[i];
    return d ? [workflowCard(w, d, verdicts?.byWorkflow.get(w.workflowId), WORKFLOW_PANELS)] : [];
  });
  byId('cards', HTMLDivElement).replaceChildren(...cards.map((c) => c.node));
  for (const card of cards) card.draw();
};

const main = async () => {
  const nowMs = Date.now();
  const range = pageRange(location.search, nowMs);
  const api = createApi();
  byId('range', HTMLElement).replaceChildren(...rangeNav(range.days));
  setChartDefaults(getComputedStyle(document.body).fontFamily);

  // A bounded number of requests whatever the fleet's size: one page of the fleet (the API's
  // largest), the pipeline, today's quarantine, the digest (with the portfolio), and metrics and
  // variants for the charted few.
  const [list, pipeline, verdicts] = await Promise.all([
    api.workflows(PageLimits.workflows.max),
    api.pipeline(range.query),
    api.verdicts(range.week),
  ]);
  // The digest carries the portfolio (what GET /portfolio serves); ask for it only when an old
  // archived digest has none, so a large fleet's digest is not built twice.
  const portfolio = verdicts?.portfolio ?? (await api.portfolio(range.week));
  byId('portfolio-title', HTMLElement).textContent = `Portfolio · ${range.week}`;
  byId('portfolio', HTMLDivElement).replaceChildren(
    ...(portfolio
      ? portfolioView(portfolio)
      : [el('p', { class: 'hint' }, `No portfolio for ${range.week}: GET /portfolio answered an error.`)]),
  );
  const charted = chartedWorkflows(list.workflows, verdicts);
  const flagged = list.workflows.filter((w) => isFlagged(w, verdicts?.byWorkflow.get(w.workflowId)));
  byId('kpi-title', HTMLElement).textContent = 'Fleet totals, last 7 days';
  byId('trends-hint', HTMLElement).textContent = trendsHint(range.days);
  const pipelineTotals = renderPipeline(
    byId('pipeline-counters', HTMLDivElement),
    byId('chart-pipeline', HTMLCanvasElement),
    pipeline,
    rangeDays(range),
  );
  const [quarantined] = await Promise.all([
    showQuarantine({
      body: byId('quarantine-body', HTMLTableSectionElement),
      hint: byId('quarantine-hint', HTMLElement),
      more: byId('quarantine-more', HTMLButtonElement),
      api,
      counterMeaning: pipeline.counters.quarantined,
    }),
    drawCards(api, charted, verdicts, range.query),
  ]);

  const base = {
    days: range.days,
    from: dayKey(range.fromMs),
    to: dayKey(range.toMs),
    charted: charted.map((w) => w.workflowId),
    flagged: flagged.map((w) => w.workflowId),
    verdicts: verdicts !== null,
    portfolio: portfolio !== null,
    pipelineTotals,
    quarantineEntries: quarantined.length,
  };
  // The fleet section redraws on paging and loading more; KPIs and state follow what is loaded.
  showFleet({ api, verdicts, columns: fleetColumns(nowMs), first: list }, ({ loaded, ...fleet }) => {
    byId('kpis', HTMLDivElement).replaceChildren(...kpiTiles(fleetKpis(fleetTotals(loaded))));
    publishState({ ...base, ...fleet });
  });
  byId('status', HTMLElement).textContent =
    `${charted.length} charted of ${list.workflows.length}${list.nextToken ? '+' : ''} workflows · ${dayKey(range.fromMs)} to ${dayKey(range.toMs - DAY_MS)} · updated ${new Date(nowMs).toISOString().slice(11, 16)} UTC`;
  document.documentElement.dataset.state = 'ready';
};

main().catch((error: Error) => {
  document.documentElement.dataset.state = 'error';
  const status = document.getElementById('status');
  if (status) {
    status.textContent = `Could not load: ${error.message}`;
    status.classList.add('error');
  }
  console.error(error);
});
