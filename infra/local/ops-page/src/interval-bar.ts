// A forest plot's row, drawn as SVG attributes (no inline styles): the 95 % interval as a bar, the
// estimate as a tick and zero as a dashed line, so a bar that crosses the line shows no clear difference.

import type { BarGeometry } from './bar-geometry.ts';

const SVG = 'http://www.w3.org/2000/svg';

const svg = (tag: string, attributes: Record<string, string | number>) => {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
};

/**
 * The row's bar as an SVG element that stretches to its box.
 *
 * @example
 * ```ts
 * row.append(intervalBar(barGeometry(interval), '-4.4 min (95% CI -5.3 to -3.5 min)'));
 * ```
 */
export const intervalBar = (g: BarGeometry, label: string): SVGSVGElement => {
  const root = svg('svg', {
    class: 'interval-bar',
    viewBox: '0 0 100 12',
    preserveAspectRatio: 'none',
    role: 'img',
    'aria-label': label,
  }) as SVGSVGElement;
  root.append(
    svg('line', {
      class: 'zero',
      x1: g.zero,
      x2: g.zero,
      y1: 0,
      y2: 12,
      'vector-effect': 'non-scaling-stroke',
    }),
    svg('rect', { class: 'interval', x: g.low, y: 4, width: Math.max(g.high - g.low, 0.5), height: 4 }),
    svg('rect', { class: 'estimate', x: g.estimate - 0.6, y: 1, width: 1.2, height: 10 }),
  );
  return root;
};
