import { YardstickError } from '../../../../shared/errors.ts';

// DOM building for the page: text always goes through text nodes, never innerHTML, so nothing an
// event carried (workflow ids, quarantine messages) can become markup.

/** Attribute values; `undefined`, `null` and `false` leave the attribute out. */
export type Attributes = Record<string, string | number | boolean | null | undefined> & {
  readonly style?: never;
};

/** What an element can hold: nodes, text, or nothing (skipped). */
export type Child = Node | string | number | null | undefined | false;

/**
 * Builds an element with attributes (`class` included) and children.
 *
 * @example
 * ```ts
 * el('td', { class: 'num', title: 'cost' }, '$1.20');
 * ```
 */
export const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: readonly (Child | readonly Child[])[]
): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = String(value);
    else node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
};

/** Thrown when the page's HTML lacks an element the code draws into. */
export class MissingElementError extends YardstickError {}

/**
 * The element with this id, typed; throws if index.html lost it (a page bug, not a user error).
 *
 * @example
 * ```ts
 * byId('kpis', HTMLDivElement).replaceChildren(...tiles);
 * ```
 */
export const byId = <T extends HTMLElement>(id: string, type: new () => T): T => {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new MissingElementError(`#${id} is missing from the ops page`);
  return node;
};
