/**
 * The page the end-to-end tests drive. It loads the SDK from source and records every event
 * of every session it starts in `window.harness`, so tests can wait on conditions.
 */

import type { AthosRoleplayCreateOptions, RoleplaySession } from '../src/index.ts';
import * as sdk from '../src/index.ts';

interface RecordedEvent {
  name: string;
  payload: unknown;
  at: number;
}

const harness = {
  sdk,
  session: undefined as RoleplaySession | undefined,
  events: [] as RecordedEvent[],
  connectResult: undefined as undefined | { ok: true } | { ok: false; error: unknown },
  /** Creates a session that records all its events; does not connect. */
  create(options: AthosRoleplayCreateOptions): RoleplaySession {
    const session = sdk.create(options);
    harness.session = session;
    session.on('error', (error) => errorInstances.push(error));
    for (const name of sdk.ATHOS_EVENT_NAMES) {
      session.on(name, (payload: unknown) => {
        const value = payload instanceof sdk.AthosRoleplayError ? payload.toJSON() : payload;
        harness.events.push({ name, payload: value, at: performance.now() });
      });
    }
    return session;
  },
  /** Creates a session and connects it; the outcome lands in `connectResult`. */
  start(options: AthosRoleplayCreateOptions): Promise<void> {
    const session = harness.create(options);
    return session.connect().then(
      () => {
        harness.connectResult = { ok: true };
      },
      (error: unknown) => {
        harness.connectResult = {
          ok: false,
          error:
            error instanceof sdk.AthosRoleplayError ? { ...error.toJSON(), sameAsEvent: sameAsLastError(error) } : String(error),
        };
      },
    );
  },
  names(): string[] {
    return harness.events.map((event) => event.name);
  },
};

/** Every error instance emitted, to check that the event and the rejection are one object. */
const errorInstances: unknown[] = [];
function sameAsLastError(error: unknown): boolean {
  return errorInstances.includes(error);
}

document.querySelector('#resume')?.addEventListener('click', () => {
  void harness.session?.resumeAudio();
});

// Pages that test blocked autoplay must start the SDK before the test touches the page. The
// options travel in the fragment, which never leaves the browser.
if (location.hash.startsWith('#autostart=')) {
  const options = JSON.parse(decodeURIComponent(location.hash.slice('#autostart='.length)));
  history.replaceState(null, '', location.pathname);
  void harness.start(options as AthosRoleplayCreateOptions);
}

Object.assign(window, { harness });
