import type { VerdictName } from '../verdicts/verdict.ts';

/** Escapes text for HTML content and attribute values. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`);

/** Verdict colours: white text on each passes WCAG AA contrast. */
export const VERDICT_COLOURS: Record<VerdictName, string> = {
  scale: '#15803d',
  fix: '#b45309',
  stop: '#b91c1c',
  stalled: '#6d28d9',
  unproven: '#475569',
  watch: '#0369a1',
  'not-enough-data': '#6b7280',
};

export const FONT = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
export const MUTED = '#6b7280';
export const INK = '#111827';

/** A layout table's attributes: screen readers skip it, and no client adds spacing of its own. */
export const TABLE = 'role="presentation" width="100%" cellpadding="0" cellspacing="0"';

/** A verdict badge; a span with padding survives every client that matters. */
export const badge = (verdict: VerdictName, label: string): string =>
  `<span style="padding:2px 6px;border-radius:3px;background:${VERDICT_COLOURS[verdict]};color:#fff;font-size:12px;font-weight:bold;white-space:nowrap">${escapeHtml(label.toUpperCase())}</span>`;

const percentWidth = (share: number) => `${Math.round(Math.min(1, Math.max(0, share)) * 1000) / 10}%`;

// Bars are table cells with a background colour: no images, no SVG, nothing a mail client strips.
// HTML attributes (bgcolor, height) are shorter than styles and what Outlook's Word engine honours.
const cell = (share: number, colour: string, height: number) =>
  share <= 0 ? '' : `<td width="${percentWidth(share)}" height="${height}" bgcolor="${colour}"></td>`;

const barTable = (cells: string) => `<table ${TABLE} style="table-layout:fixed"><tr>${cells}</tr></table>`;

/**
 * A horizontal bar filling `share` (0–1) of the row.
 *
 * @example
 * ```ts
 * bar(0.4, '#15803d'); // '<table …><tr><td width="40%" …>'
 * ```
 */
export const bar = (share: number, colour: string, height = 10): string =>
  barTable(`${cell(share, colour, height)}${cell(1 - share, '#e5e7eb', height)}`);

/**
 * A rate bar: solid up to the interval's low end, lighter across the 95 % interval, grey beyond.
 * The point estimate is in the text beside it; the bar shows how sure it is.
 */
export const intervalBar = (low: number, high: number, colour: string, light: string): string =>
  barTable(`${cell(low, colour, 8)}${cell(high - low, light, 8)}${cell(1 - high, '#e5e7eb', 8)}`);
