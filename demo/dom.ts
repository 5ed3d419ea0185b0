/** Small helpers over the demo page's DOM, shared by its views. */

/** The element with this id; throws when the page lacks it, so a renamed id fails at load. */
export function element<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} is missing from the page`);
  return found as T;
}

/** Fills a `<dl>` with one term per field; fields that are `undefined` are left out. */
export function fillFields(list: HTMLElement, fields: Record<string, unknown>): void {
  list.replaceChildren();
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const term = document.createElement('dt');
    term.textContent = key;
    const detail = document.createElement('dd');
    detail.textContent = typeof value === 'object' && value !== null ? Object.values(value).join(', ') : String(value);
    list.append(term, detail);
  }
}
