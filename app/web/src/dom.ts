// A small helper to build the page's elements: no framework, so the bundle is the app, kit and
// the chart library.

type Child = Node | string | number | bigint | null | undefined | false;
type Attributes = Record<string, string | number | boolean | EventListener | undefined>;

/** An element with attributes (`onclick` and the like become listeners; `false` and
 * `undefined` are left out) and children (text for anything that is not a node). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children.filter((child) => child !== null && child !== undefined && child !== false).map(asNode));
  return element;
}

function asNode(child: Child): Node | string {
  return child instanceof Node ? child : String(child);
}

/** A definition list of label and value pairs: how the page shows a quote or a state. */
export function facts(pairs: [string, Child][], attributes: Attributes = {}): HTMLDListElement {
  return el('dl', { class: 'facts', ...attributes }, ...pairs.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]));
}
