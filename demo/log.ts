/**
 * The event log: every SDK event and every action of the page, oldest first. While it is empty,
 * the page shows a first-run hint in its place (demo/style.css).
 */
import { AthosRoleplayError } from '../src/index.ts';
import { element } from './dom.ts';

const log = element('log');

/** A wall-clock time with milliseconds, e.g. `14:03:07.215`. */
export function clock(date = new Date()): string {
  return `${date.toLocaleTimeString('en-GB', { hour12: false })}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

function append(kind: 'event' | 'note', title: string, payload?: unknown): void {
  const item = document.createElement('li');
  item.className = `log-${kind}`;
  const time = document.createElement('time');
  time.textContent = clock();
  const name = document.createElement('span');
  name.className = 'log-name';
  name.textContent = title;
  item.append(time, ' ', name);
  if (payload !== undefined) {
    const body = document.createElement('code');
    const value = AthosRoleplayError.is(payload) ? payload.toJSON() : payload instanceof Error ? String(payload) : payload;
    body.textContent = JSON.stringify(value);
    item.append(' ', body);
  }
  const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 24;
  log.append(item);
  if (atBottom) log.scrollTop = log.scrollHeight;
}

/** Logs an SDK event with its payload. */
export function logEvent(name: string, payload: unknown): void {
  append('event', name, payload);
}

/** Logs something the page did or saw. */
export function note(title: string, payload?: unknown): void {
  append('note', title, payload);
}

/** Empties the log, which brings the first-run hint back. */
export function clearLog(): void {
  log.replaceChildren();
}

/** Runs `action` on every click of `#id`; a failure is logged, never thrown. */
export function onClick(id: string, action: () => unknown): void {
  element(id).addEventListener('click', () => {
    Promise.resolve()
      .then(action)
      .catch((error: unknown) => note(`#${id} failed`, error));
  });
}
