import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { Browser, Page } from 'playwright-core';
import { demoFleet } from '../../infra/local/demo/fleet.ts';
import { localEventBridgeClient } from '../../infra/local/demo/seed.ts';
import type { OpsState } from '../../infra/local/ops-page/src/state.ts';
import type { LocalRuntime } from '../../infra/local/runtime.ts';

/**
 * The browser's globals the tests read, as `(globalThis as unknown as PageGlobals)` inside
 * `page.evaluate` (its callback runs in the page: it can use nothing of this module); this project's
 * TypeScript lib has no DOM, so they are declared here.
 */
export interface PageGlobals {
  readonly yardstickOps?: OpsState;
  readonly innerWidth: number;
  readonly document: {
    readonly documentElement: {
      readonly dataset: Record<string, string | undefined>;
      readonly scrollWidth: number;
    };
    querySelectorAll(selector: string): ArrayLike<PageElement>;
  };
  getComputedStyle(element: PageElement): { readonly display: string; readonly visibility: string };
}

/** The little of a DOM element the tests use. */
export interface PageElement {
  readonly textContent: string | null;
  readonly tagName: string;
  readonly id: string;
  readonly className: unknown;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): {
    left: number;
    right: number;
    top: number;
    bottom: number;
    width: number;
    height: number;
  };
  closest(selector: string): PageElement | null;
  querySelector(selector: string): PageElement | null;
}

/** Sends entries through the local events endpoint, ten per PutEvents, as producers do. */
export const putAll = async (
  local: LocalRuntime,
  entries: readonly PutEventsRequestEntry[],
): Promise<void> => {
  const client = localEventBridgeClient(local.eventsUrl);
  try {
    for (let i = 0; i < entries.length; i += 10) {
      await client.send(new PutEventsCommand({ Entries: entries.slice(i, i + 10) }));
    }
  } finally {
    client.destroy();
  }
};

/**
 * A quarter of the demo fleet's runs over the last `days` days, plus a re-sent event (a duplicate)
 * and an invalid one (quarantined).
 */
export const demoEntries = (nowMs: number, busName: string, days: number): PutEventsRequestEntry[] => {
  const { entries } = demoFleet(nowMs, days - 1);
  const slice = entries.filter((e) => Number(String(e.Detail.runId).split('-').at(-1)) % 4 === 0);
  const toEntry = (e: (typeof entries)[number]): PutEventsRequestEntry => ({
    EventBusName: busName,
    Source: e.Source,
    DetailType: e.DetailType,
    Detail: JSON.stringify(e.Detail),
  });
  const first = slice[0];
  if (!first) throw new Error('the demo fleet produced no events');
  const invalid: PutEventsRequestEntry = {
    EventBusName: busName,
    Source: 'acme.e2e',
    DetailType: 'ai.workflow.outcome',
    Detail: JSON.stringify({ ...first.Detail, eventId: 'ops-page-invalid', status: 'done' }),
  };
  return [...slice.map(toEntry), toEntry(first), invalid];
};

/** Opens the page and waits until it has drawn everything (or failed), recording console errors and requests. */
export const openOpsPage = async (
  browser: Browser,
  url: string,
  options: { width?: number; height?: number; prepare?: (page: Page) => Promise<unknown> } = {},
) => {
  const page = await browser.newPage({
    viewport: { width: options.width ?? 1440, height: options.height ?? 900 },
  });
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  page.on('request', (request) => requests.push(request.url()));
  await options.prepare?.(page);
  await page.goto(url);
  await page.waitForFunction(
    () => (globalThis as unknown as PageGlobals).document.documentElement.dataset.state !== 'loading',
  );
  const state = await page.evaluate(() => ({
    status: (globalThis as unknown as PageGlobals).document.documentElement.dataset.state,
    ops: (globalThis as unknown as PageGlobals).yardstickOps,
  }));
  return { page, consoleErrors, requests, state };
};

/** The text of every element matching a selector. */
export const texts = (page: Page, selector: string): Promise<string[]> =>
  page.evaluate(
    (s) =>
      Array.from(
        (globalThis as unknown as PageGlobals).document.querySelectorAll(s),
        (n) => n.textContent ?? '',
      ),
    selector,
  );

/** One attribute of every element matching a selector. */
export const attributes = (page: Page, selector: string, name: string): Promise<string[]> =>
  page.evaluate(
    ([s, a]) =>
      Array.from(
        (globalThis as unknown as PageGlobals).document.querySelectorAll(s),
        (n) => n.getAttribute(a) ?? '',
      ),
    [selector, name] as const,
  );

/**
 * What overflows the viewport sideways: the page's scroll width, and every visible element that
 * starts left of it or ends right of it (tag, id, class and extent, to tell which).
 */
export const horizontalOverflow = (page: Page): Promise<{ scrollWidth: number; overflowing: string[] }> =>
  page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    const viewport = g.innerWidth;
    const overflowing = Array.from(g.document.querySelectorAll('body *'))
      .filter((n) => {
        const r = n.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && !n.closest('.visually-hidden');
      })
      .filter(
        (n) => n.getBoundingClientRect().right > viewport + 0.5 || n.getBoundingClientRect().left < -0.5,
      )
      .map((n) => {
        const r = n.getBoundingClientRect();
        return `${n.tagName.toLowerCase()}${n.id ? `#${n.id}` : ''}.${String(n.className)} ${Math.round(r.left)}–${Math.round(r.right)}`;
      });
    return { scrollWidth: g.document.documentElement.scrollWidth, overflowing };
  });
