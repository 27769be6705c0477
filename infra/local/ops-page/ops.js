// The local ops page: reads the query API of the same origin and draws the fleet, each workflow's
// trends and the pipeline's health. Plain ES module, no build step; Chart.js comes from a local UMD copy.

const { Chart } = globalThis;
const DAY_MS = 86_400_000;
const RANGES = [7, 14, 35, 90];
const DEFAULT_DAYS = 35;
/** Reviews a day needs before its rate is drawn solid: the digest's minimum for its trust rules. */
const MIN_REVIEWS_SOLID = 10;

const COLOURS = {
  value: '#15803d',
  valueFill: 'rgba(21, 128, 61, 0.12)',
  cost: '#dc2626',
  costBar: 'rgba(220, 38, 38, 0.55)',
  acceptance: '#2563eb',
  acceptanceBand: 'rgba(37, 99, 235, 0.13)',
  acceptanceFaint: 'rgba(37, 99, 235, 0.45)',
  override: '#d97706',
  overrideBand: 'rgba(217, 119, 6, 0.15)',
  overrideFaint: 'rgba(217, 119, 6, 0.5)',
  counted: '#15803d',
  duplicates: '#94a3b8',
  conflicts: '#d97706',
  quarantined: '#dc2626',
  grid: '#eef0f3',
  muted: '#6b7280',
};

/** Verdict colours of the digest (shared/digest/html-parts.ts). */
const VERDICT_COLOURS = {
  scale: '#15803d',
  fix: '#b45309',
  stop: '#b91c1c',
  stalled: '#6d28d9',
  unproven: '#475569',
  watch: '#0369a1',
  'not-enough-data': '#6b7280',
};

// ── formatting ────────────────────────────────────────────────────────────────────────────────────

// Unknown is not zero (docs/counting.md): a null figure reads "unknown", a lower bound "≥ $x".
const usd = (value) => {
  if (value === null || value === undefined) return 'unknown';
  const abs = Math.abs(value);
  const sign = value < 0 ? '−' : '';
  if (abs === 0) return '$0';
  if (abs >= 1e6) return `${sign}$${(abs / 1e6).toFixed(1)}M`;
  if (abs >= 1e4) return `${sign}$${(abs / 1e3).toFixed(1)}k`;
  if (abs >= 1)
    return `${sign}$${abs.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  if (abs >= 0.1) return `${sign}$${abs.toFixed(2)}`;
  if (abs >= 0.01) return `${sign}$${abs.toFixed(3)}`;
  return `${sign}$${abs.toPrecision(2)}`;
};
const pct = (value) => (value === null || value === undefined ? '—' : `${Math.round(value * 100)}%`);
const roiText = (value) => {
  if (value === null || value === undefined) return '—';
  return `${Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1)}×`;
};
const valueText = (m) =>
  m.valueUsd === null || m.valueUsd === undefined
    ? 'unknown'
    : `${(m.valueCoverage ?? 1) < 1 ? '≥ ' : ''}${usd(m.valueUsd)}`;
const costText = (m) =>
  m.costComplete === false ? (m.costUsd ? `≥ ${usd(m.costUsd)}` : 'unpriced') : usd(m.costUsd);
const count = (value) => (value ?? 0).toLocaleString('en-US');
const hours = (value) => (value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1));
const dayKey = (ms) => new Date(ms).toISOString().slice(0, 10);
const shortDate = (iso) =>
  new Date(iso).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const ago = (iso) => {
  if (!iso) return '—';
  const minutes = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h ago`;
  return `${Math.round(minutes / 1440)} d ago`;
};

/** The last ISO week (UTC) that has ended, as `YYYY-Www`. */
const lastFullWeek = (nowMs) => {
  const date = new Date(Math.floor((nowMs - 7 * DAY_MS) / DAY_MS) * DAY_MS);
  const weekday = (date.getUTCDay() + 6) % 7;
  date.setUTCDate(date.getUTCDate() - weekday + 3);
  const year = date.getUTCFullYear();
  const week = 1 + Math.floor((date.getTime() - Date.UTC(year, 0, 1)) / DAY_MS / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
};

// ── DOM helpers ───────────────────────────────────────────────────────────────────────────────────

/** Builds an element; text goes through textContent, never innerHTML. */
const el = (tag, attributes = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'style') Object.assign(node.style, value);
    else node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
};

const verdictBadge = (verdict) =>
  el(
    'span',
    {
      class: 'badge',
      style: { background: VERDICT_COLOURS[verdict.verdict] ?? COLOURS.muted },
      title: verdict.reason ?? '',
    },
    verdict.verdictLabel ?? verdict.verdict,
  );

const stagePill = (stage) =>
  el('span', { class: `pill ${stage ? `stage-${stage}` : 'stage-none'}` }, stage ?? 'not in catalog');

/** A rate with its 95 % lower bound, so a rate from few samples never shows alone. */
const rateCell = (rate, low, flagged, title) => {
  if (rate === null || rate === undefined) return el('td', { class: 'num muted' }, '—');
  return el(
    'td',
    { class: `num${flagged ? ' flagged' : ''}`, title },
    el('span', { class: 'rate-text' }, pct(rate)),
    low === null || low === undefined ? null : el('span', { class: 'rate-low' }, ` ≥ ${pct(low)}`),
  );
};

// ── API ───────────────────────────────────────────────────────────────────────────────────────────

const api = async (path) => {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(
      `GET ${path} answered ${response.status}: ${body?.error?.message ?? response.statusText}`,
    );
  }
  return body;
};

/** The weekly digest's verdicts, when the API serves `GET /digest`; absent otherwise. */
const loadVerdicts = async (nowMs) => {
  try {
    const response = await fetch(`/digest?week=${lastFullWeek(nowMs)}`, {
      headers: { accept: 'application/json' },
    });
    if (!response.ok) return null;
    const digest = await response.json();
    if (!Array.isArray(digest?.workflows)) return null;
    return {
      week: digest.week ?? lastFullWeek(nowMs),
      byWorkflow: new Map(digest.workflows.filter((w) => w?.verdict).map((w) => [w.workflowId, w])),
    };
  } catch {
    return null;
  }
};

// ── sections ──────────────────────────────────────────────────────────────────────────────────────

const renderRangeNav = (days) => {
  const nav = document.getElementById('range');
  nav.replaceChildren(
    el('span', { class: 'range-label' }, 'Trends'),
    ...RANGES.map((d) =>
      el(
        'a',
        {
          href: `?days=${d}`,
          class: d === days ? 'active' : undefined,
          'aria-current': d === days ? 'true' : undefined,
        },
        `${d} d`,
      ),
    ),
  );
};

const renderKpis = (workflows) => {
  const sum = (pick) => workflows.reduce((total, w) => total + (pick(w.last7Days) ?? 0), 0);
  const cost = sum((m) => m.costUsd);
  const costComplete = workflows.every((w) => w.last7Days.costComplete !== false);
  const valueKnown = workflows.some((w) => w.last7Days.valueUsd !== null);
  const succeeded = sum((m) => (m.successRate ?? 0) * m.runs);
  const valued = sum((m) => (m.valueCoverage ?? 0) * (m.successRate ?? 0) * m.runs);
  const fleet = {
    valueUsd: valueKnown ? sum((m) => m.valueUsd) : null,
    valueCoverage: succeeded > 0 ? valued / succeeded : null,
    costUsd: cost,
    costComplete,
  };
  // Net of two lower bounds could be anything; ROI needs a complete, non-zero cost.
  const net =
    fleet.valueUsd === null || (!costComplete && (fleet.valueCoverage ?? 1) < 0.9999)
      ? null
      : fleet.valueUsd - cost;
  const reviews = sum((m) => m.reviews);
  const accepted = sum((m) => (m.acceptanceRate ?? 0) * m.reviews);
  const overridden = sum((m) => (m.overrideRate ?? 0) * m.reviews);
  const tiles = [
    ['Workflows', count(workflows.length), `${workflows.filter((w) => w.inCatalog).length} in catalog`],
    ['Runs', count(sum((m) => m.runs)), 'outcome events'],
    ['Value', valueText(fleet), 'reported + assumed'],
    ['Cost', costText(fleet), 'reported + priced'],
    [
      'Net value',
      net === null ? 'unknown' : `${costComplete ? '' : '≤ '}${usd(net)}`,
      net !== null && costComplete && cost > 0 ? `ROI ${roiText(net / cost)}` : 'ROI unknown',
    ],
    ['Hours saved', hours(sum((m) => m.hoursSaved)), 'reported + assumed'],
    ['Reviews', count(reviews), `${pct(reviews ? accepted / reviews : null)} accepted`],
    ['Overridden', pct(reviews ? overridden / reviews : null), 'edited or rejected'],
  ];
  document
    .getElementById('kpis')
    .replaceChildren(
      ...tiles.map(([label, figure, note]) =>
        el(
          'div',
          { class: 'kpi' },
          el('div', { class: 'kpi-label' }, label),
          el('div', { class: 'kpi-value' }, figure),
          el('div', { class: 'kpi-note' }, note),
        ),
      ),
    );
  const kpiTitle = document.getElementById('kpi-title');
  kpiTitle.textContent = 'Fleet totals, last 7 days';
};

const renderFleet = (workflows, verdicts) => {
  const table = document.getElementById('fleet');
  const headings = [
    ['workflow', ''],
    ['stage', ''],
    ...(verdicts ? [[`verdict ${verdicts.week}`, '']] : []),
    ['runs', 'num'],
    ['success', 'num'],
    ['cost', 'num'],
    ['value', 'num'],
    ['net', 'num'],
    ['ROI', 'num'],
    ['hours saved', 'num'],
    ['reviews', 'num'],
    ['accepted (95 % low)', 'num'],
    ['overridden', 'num'],
    ['users', 'num'],
    ['last seen', 'num'],
  ];
  table.tHead.replaceChildren(
    el('tr', {}, ...headings.map(([text, cls]) => el('th', { class: cls || undefined, scope: 'col' }, text))),
  );
  table.tBodies[0].replaceChildren(
    ...workflows.map((w) => {
      const m = w.last7Days;
      const targets = w.targets ?? {};
      const verdict = verdicts?.byWorkflow.get(w.workflowId);
      const lowAcceptance =
        targets.minAcceptanceRate !== undefined &&
        m.acceptanceRateLow95 !== null &&
        m.acceptanceRateLow95 < targets.minAcceptanceRate;
      const highOverride =
        targets.maxOverrideRate !== undefined &&
        m.overrideRate !== null &&
        m.overrideRate > targets.maxOverrideRate;
      return el(
        'tr',
        { 'data-workflow': w.workflowId },
        el(
          'td',
          { class: 'wf' },
          el('a', { href: `#wf-${w.workflowId}`, class: 'wf-id' }, w.workflowId),
          el(
            'span',
            { class: 'wf-name' },
            [w.name, w.ownerTeam].filter(Boolean).join(' · ') || 'not in the catalog',
          ),
        ),
        el('td', {}, stagePill(w.stage)),
        verdicts ? el('td', {}, verdict ? verdictBadge(verdict) : el('span', { class: 'muted' }, '—')) : null,
        el('td', { class: 'num' }, count(m.runs)),
        el('td', { class: 'num' }, pct(m.successRate)),
        el('td', { class: 'num' }, costText(m)),
        el('td', { class: 'num' }, valueText(m)),
        el(
          'td',
          { class: `num ${m.netValueUsd !== null && m.netValueUsd < 0 ? 'negative' : ''}` },
          usd(m.netValueUsd),
        ),
        el('td', { class: 'num' }, roiText(m.roi)),
        el('td', { class: 'num' }, hours(m.hoursSaved)),
        el('td', { class: 'num' }, count(m.reviews)),
        rateCell(
          m.acceptanceRate,
          m.acceptanceRateLow95,
          lowAcceptance,
          lowAcceptance ? `95 % lower bound below the ${pct(targets.minAcceptanceRate)} target` : undefined,
        ),
        el(
          'td',
          {
            class: `num${highOverride ? ' flagged' : ''}`,
            title: highOverride ? `above the ${pct(targets.maxOverrideRate)} target` : undefined,
          },
          pct(m.overrideRate),
        ),
        el('td', { class: 'num' }, count(m.activeUsers)),
        el('td', { class: 'num muted', title: w.lastSeenAt ?? '' }, ago(w.lastSeenAt)),
      );
    }),
  );
  document.getElementById('fleet-hint').textContent =
    `GET /workflows${verdicts ? ` · verdicts from GET /digest?week=${verdicts.week}` : ''} · flagged cells miss a catalog target`;
};

const baseOptions = (labels) => ({
  animation: false,
  responsive: true,
  maintainAspectRatio: false,
  interaction: { mode: 'index', intersect: false },
  layout: { padding: { top: 4, right: 2 } },
  plugins: {
    legend: {
      position: 'bottom',
      labels: {
        boxWidth: 10,
        boxHeight: 10,
        padding: 8,
        filter: (item, data) => !data.datasets[item.datasetIndex]?.legendHidden,
      },
    },
    tooltip: { filter: (item) => !item.dataset.legendHidden },
  },
  scales: {
    x: {
      grid: { display: false },
      // Long ranges label Mondays only (three weeks or less: Mondays and Thursdays), the same on every chart.
      ticks: {
        maxRotation: 0,
        autoSkip: false,
        callback: (_value, index) => {
          const weekday = new Date(labels[index]).getUTCDay();
          const shown = labels.length <= 10 || weekday === 1 || (labels.length <= 21 && weekday === 4);
          return shown ? shortDate(labels[index]) : null;
        },
      },
    },
  },
});

const valueCostChart = (canvas, series) => {
  const labels = series.map((s) => s.start);
  const options = baseOptions(labels);
  return new Chart(canvas, {
    type: 'line',
    data: {
      labels,
      datasets: [
        {
          label: 'Value',
          data: series.map((s) => s.valueUsd),
          yAxisID: 'value',
          borderColor: COLOURS.value,
          backgroundColor: COLOURS.valueFill,
          fill: 'origin',
          borderWidth: 1.75,
          pointRadius: 0,
          tension: 0,
          order: 1,
        },
        {
          type: 'bar',
          label: 'Cost (right axis)',
          data: series.map((s) => s.costUsd),
          yAxisID: 'cost',
          backgroundColor: COLOURS.costBar,
          borderWidth: 0,
          barPercentage: 0.7,
          categoryPercentage: 0.9,
          order: 2,
        },
      ],
    },
    options: {
      ...options,
      plugins: {
        ...options.plugins,
        tooltip: {
          ...options.plugins.tooltip,
          callbacks: { label: (c) => ` ${c.dataset.label.replace(' (right axis)', '')}: ${usd(c.parsed.y)}` },
        },
      },
      scales: {
        ...options.scales,
        value: {
          position: 'left',
          beginAtZero: true,
          grid: { color: COLOURS.grid },
          ticks: { color: COLOURS.value, maxTicksLimit: 5, callback: (v) => usd(v) },
        },
        cost: {
          position: 'right',
          beginAtZero: true,
          grid: { drawOnChartArea: false },
          ticks: { color: COLOURS.cost, maxTicksLimit: 5, callback: (v) => usd(v) },
        },
      },
    },
  });
};

const band = (label, data, colour, fill) => ({
  label,
  data,
  legendHidden: true,
  borderWidth: 0,
  pointRadius: 0,
  pointHitRadius: 0,
  backgroundColor: colour,
  fill,
  tension: 0,
});

// Points grow with the number of reviews; segments touching a day with few reviews are dashed and faint.
const rateLine = (label, data, colour, faint, series) => {
  const few = (index) => (series[index]?.reviews ?? 0) < MIN_REVIEWS_SOLID;
  return {
    label,
    data,
    borderColor: colour,
    backgroundColor: colour,
    borderWidth: 1.5,
    pointRadius: series.map((s) => (s.reviews > 0 ? Math.min(3.5, 0.8 + Math.sqrt(s.reviews) / 2) : 0)),
    clip: 5,
    segment: {
      borderColor: (ctx) => (few(ctx.p0DataIndex) || few(ctx.p1DataIndex) ? faint : undefined),
      borderDash: (ctx) => (few(ctx.p0DataIndex) || few(ctx.p1DataIndex) ? [3, 3] : undefined),
    },
    tension: 0,
  };
};

const targetLine = (label, target, length, colour) => ({
  label,
  legendHidden: true,
  data: Array.from({ length }, () => target),
  borderColor: colour,
  borderDash: [1, 3],
  borderWidth: 1.25,
  pointRadius: 0,
  backgroundColor: 'transparent',
});

const trustChart = (canvas, series, targets) => {
  const labels = series.map((s) => s.start);
  const options = baseOptions(labels);
  const datasets = [
    band(
      'Acceptance 95 % low',
      series.map((s) => s.acceptanceRateLow95),
      'transparent',
      false,
    ),
    band(
      'Acceptance 95 % high',
      series.map((s) => s.acceptanceRateHigh95),
      COLOURS.acceptanceBand,
      '-1',
    ),
    rateLine(
      'Accepted',
      series.map((s) => s.acceptanceRate),
      COLOURS.acceptance,
      COLOURS.acceptanceFaint,
      series,
    ),
    band(
      'Override 95 % low',
      series.map((s) => s.overrideRateLow95),
      'transparent',
      false,
    ),
    band(
      'Override 95 % high',
      series.map((s) => s.overrideRateHigh95),
      COLOURS.overrideBand,
      '-1',
    ),
    rateLine(
      'Overridden',
      series.map((s) => s.overrideRate),
      COLOURS.override,
      COLOURS.overrideFaint,
      series,
    ),
  ];
  if (targets?.minAcceptanceRate !== undefined) {
    datasets.push(
      targetLine('Acceptance target', targets.minAcceptanceRate, series.length, COLOURS.acceptance),
    );
  }
  if (targets?.maxOverrideRate !== undefined) {
    datasets.push(targetLine('Override limit', targets.maxOverrideRate, series.length, COLOURS.override));
  }
  return new Chart(canvas, {
    type: 'line',
    data: { labels, datasets },
    options: {
      ...options,
      spanGaps: false,
      plugins: {
        ...options.plugins,
        tooltip: {
          ...options.plugins.tooltip,
          callbacks: {
            label: (c) => {
              const s = series[c.dataIndex];
              if (c.dataset.label === 'Accepted')
                return ` Accepted ${pct(s.acceptanceRate)} (95 %: ${pct(s.acceptanceRateLow95)}–${pct(s.acceptanceRateHigh95)}) of ${s.reviews}`;
              if (c.dataset.label === 'Overridden')
                return ` Overridden ${pct(s.overrideRate)} (95 %: ${pct(s.overrideRateLow95)}–${pct(s.overrideRateHigh95)})`;
              return ` ${c.dataset.label}: ${pct(c.parsed.y)}`;
            },
          },
        },
      },
      scales: {
        ...options.scales,
        y: {
          min: 0,
          max: 1,
          grid: { color: COLOURS.grid },
          ticks: { stepSize: 0.25, callback: (v) => pct(v) },
        },
      },
    },
  });
};

const renderCards = (workflows, metricsById, verdicts, days) => {
  document.getElementById('trends-hint').textContent =
    `last ${days} days, daily (UTC) · rates with their 95 % Wilson interval (band); dashed: days with fewer than ${MIN_REVIEWS_SOLID} reviews; dotted: catalog targets`;
  const charts = [];
  const cards = workflows.map((w) => {
    const metrics = metricsById.get(w.workflowId);
    const t = metrics.totals;
    const verdict = verdicts?.byWorkflow.get(w.workflowId);
    const valueCanvas = el('canvas', {
      id: `chart-value-${w.workflowId}`,
      role: 'img',
      'aria-label': `${w.workflowId}: value and cost per day`,
    });
    const trustCanvas = el('canvas', {
      id: `chart-trust-${w.workflowId}`,
      role: 'img',
      'aria-label': `${w.workflowId}: acceptance and override rates per day`,
    });
    const notes = [];
    if (t.unpricedUsageEvents > 0)
      notes.push(`${count(t.unpricedUsageEvents)} usage events unpriced: cost is a lower bound`);
    if (t.valueUsd === null && t.runs > 0)
      notes.push('no value data: report valueUsd or add a catalog assumption');
    const card = el(
      'article',
      { class: 'card', id: `wf-${w.workflowId}`, 'data-workflow': w.workflowId },
      el(
        'header',
        { class: 'card-head' },
        el(
          'div',
          { class: 'card-title' },
          el('h3', {}, w.workflowId),
          stagePill(w.stage),
          verdict ? verdictBadge(verdict) : null,
        ),
        el(
          'dl',
          { class: 'card-figures' },
          ...[
            ['runs', count(t.runs)],
            ['value', valueText(t)],
            ['cost', costText(t)],
            ['ROI', roiText(t.roi)],
            [
              'accepted',
              t.acceptanceRate === null
                ? '—'
                : `${pct(t.acceptanceRate)} (${pct(t.acceptanceRateLow95)}–${pct(t.acceptanceRateHigh95)})`,
            ],
          ].map(([label, figure]) => el('div', {}, el('dt', {}, label), el('dd', {}, figure))),
        ),
      ),
      el(
        'div',
        { class: 'card-charts' },
        el(
          'figure',
          {},
          el('figcaption', {}, 'Value against cost, USD per day'),
          el('div', { class: 'chart-box' }, valueCanvas),
        ),
        el(
          'figure',
          {},
          el(
            'figcaption',
            {},
            t.reviews === 0
              ? 'Accepted and overridden: no human reviews in range'
              : 'Accepted and overridden, share of reviews',
          ),
          el('div', { class: 'chart-box' }, trustCanvas),
        ),
      ),
      notes.length ? el('p', { class: 'card-note' }, notes.join(' · ')) : null,
    );
    charts.push(() => valueCostChart(valueCanvas, metrics.series));
    charts.push(() => trustChart(trustCanvas, metrics.series, w.targets));
    return card;
  });
  document.getElementById('cards').replaceChildren(...cards);
  // Charts are drawn once their canvases are in the document, so they size to their boxes.
  for (const draw of charts) draw();
};

const PIPELINE_FIELDS = [
  ['received', 'Received', null],
  ['counted', 'Counted', COLOURS.counted],
  ['duplicates', 'Duplicates dropped', COLOURS.duplicates],
  ['conflicts', 'Conflicts', COLOURS.conflicts],
  ['quarantined', 'Quarantined', COLOURS.quarantined],
];

const renderPipeline = (pipeline, fromMs, days) => {
  const byDay = new Map(pipeline.days.map((d) => [d.day, d]));
  const labels = Array.from({ length: days }, (_, i) => dayKey(fromMs + i * DAY_MS));
  const totals = Object.fromEntries(
    PIPELINE_FIELDS.map(([field]) => [field, pipeline.days.reduce((sum, d) => sum + (d[field] ?? 0), 0)]),
  );
  document.getElementById('pipeline-counters').replaceChildren(
    ...PIPELINE_FIELDS.map(([field, label, colour]) =>
      el(
        'div',
        { class: 'counter', 'data-counter': field },
        el('span', {
          class: 'swatch',
          style: { background: colour ?? 'transparent', borderColor: colour ?? COLOURS.muted },
        }),
        el('span', { class: 'counter-label' }, label),
        el('span', { class: 'counter-value' }, count(totals[field])),
      ),
    ),
    el(
      'p',
      { class: 'counter-note' },
      `over ${days} days; received also counts failed writes awaiting redelivery`,
    ),
  );
  const options = baseOptions(labels);
  const chart = new Chart(document.getElementById('chart-pipeline'), {
    type: 'bar',
    data: {
      labels,
      datasets: PIPELINE_FIELDS.filter(([, , colour]) => colour).map(([field, label, colour]) => ({
        label,
        data: labels.map((day) => byDay.get(day)?.[field] ?? 0),
        backgroundColor: colour,
        borderWidth: 0,
        barPercentage: 0.9,
        categoryPercentage: 0.9,
      })),
    },
    options: {
      ...options,
      plugins: { ...options.plugins, legend: { ...options.plugins.legend, position: 'right' } },
      scales: {
        x: { ...options.scales.x, stacked: true },
        y: {
          stacked: true,
          beginAtZero: true,
          grid: { color: COLOURS.grid },
          ticks: { maxTicksLimit: 5, precision: 0 },
        },
      },
    },
  });
  return { totals, chart };
};

const renderQuarantine = (quarantine) => {
  const events = [...quarantine.events].sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
  const shown = events.slice(0, 15);
  document.getElementById('quarantine-hint').textContent =
    `${events.length} on ${quarantine.date} (UTC) · GET /quarantine${events.length > shown.length ? ` · latest ${shown.length} shown` : ''}`;
  const body = document.getElementById('quarantine').tBodies[0];
  if (shown.length === 0) {
    body.replaceChildren(
      el('tr', {}, el('td', { colspan: 5, class: 'muted empty' }, 'Nothing quarantined today.')),
    );
    return;
  }
  body.replaceChildren(
    ...shown.map((q) =>
      el(
        'tr',
        {},
        el('td', { class: 'mono' }, q.receivedAt.slice(11, 19)),
        el('td', {}, q.workflowId ?? el('span', { class: 'muted' }, 'unknown')),
        el('td', { class: 'mono' }, q.detailType ?? '—'),
        el('td', {}, el('span', { class: 'code' }, q.rejection.code)),
        el('td', { class: 'message', title: q.rejection.message }, q.rejection.message),
      ),
    ),
  );
};

/** Workflows per fleet request, and how many get charts: the page's cost does not grow with the fleet. */
const FLEET_PAGE = 200;
const MAX_CHARTED = 12;

// ── main ──────────────────────────────────────────────────────────────────────────────────────────

const main = async () => {
  const requested = Number(new URLSearchParams(location.search).get('days'));
  const days = Number.isInteger(requested) && requested >= 1 && requested <= 400 ? requested : DEFAULT_DAYS;
  const nowMs = Date.now();
  const toMs = Math.floor(nowMs / DAY_MS) * DAY_MS + DAY_MS;
  const fromMs = toMs - days * DAY_MS;
  const range = `from=${dayKey(fromMs)}&to=${dayKey(toMs)}`;
  const status = document.getElementById('status');
  renderRangeNav(days);
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 11;
  Chart.defaults.color = '#4b5563';

  // A bounded number of requests whatever the fleet's size: one page of the fleet, and charts for the
  // workflows that matter most (largest cost or value), never one request per workflow.
  const [list, pipeline, quarantine, verdicts] = await Promise.all([
    api(`/workflows?limit=${FLEET_PAGE}`),
    api(`/pipeline?${range}`),
    api('/quarantine'),
    loadVerdicts(nowMs),
  ]);
  const workflows = list.workflows;
  const weight = (w) => (w.last7Days.costUsd ?? 0) + Math.abs(w.last7Days.valueUsd ?? 0);
  const charted = [...workflows].sort((a, b) => weight(b) - weight(a)).slice(0, MAX_CHARTED);
  const metrics = await Promise.all(
    charted.map((w) =>
      api(`/workflows/${encodeURIComponent(w.workflowId)}/metrics?granularity=day&${range}`),
    ),
  );
  const metricsById = new Map(metrics.map((m) => [m.workflowId, m]));

  renderKpis(workflows);
  renderFleet(workflows, verdicts);
  renderCards(charted, metricsById, verdicts, days);
  const { totals } = renderPipeline(pipeline, fromMs, days);
  renderQuarantine(quarantine);

  const more = list.nextToken ? ` (the first ${workflows.length}; the API pages the rest)` : '';
  status.textContent = `${workflows.length} workflows${more} · charts for the ${charted.length} largest · ${dayKey(fromMs)} to ${dayKey(toMs - DAY_MS)} · updated ${new Date(nowMs).toISOString().slice(11, 19)} UTC`;
  // What the page drew, for tests and for anyone poking at it from the console.
  globalThis.yardstickOps = {
    days,
    from: dayKey(fromMs),
    to: dayKey(toMs),
    workflows: workflows.map((w) => w.workflowId),
    charted: charted.map((w) => w.workflowId),
    verdicts: verdicts !== null,
    pipelineTotals: totals,
  };
  document.documentElement.dataset.state = 'ready';
};

main().catch((error) => {
  document.documentElement.dataset.state = 'error';
  const status = document.getElementById('status');
  status.textContent = `Could not load: ${error.message}`;
  status.classList.add('error');
  console.error(error);
});
