/**
 * The page the end-to-end tests drive. It loads the SDK from source and records every event
 * of every session it starts in `window.harness`, so tests can wait on conditions.
 */

import type {
  AthosEventMap,
  AthosEventName,
  AthosRoleplayCreateOptions,
  AthosRoleplayError,
  AthosRoleplayErrorJSON,
  RoleplaySession,
  SessionState,
} from '../src/index.ts';
import * as sdk from '../src/index.ts';

/** An event's payload as recorded: errors as their JSON, which is what reaches the test. */
export type RecordedPayload<K extends AthosEventName> = AthosEventMap[K] extends AthosRoleplayError
  ? AthosRoleplayErrorJSON
  : AthosEventMap[K];

/** One recorded event, with `at` in page `performance.now()` ms. */
export type RecordedEvent = { [K in AthosEventName]: { name: K; payload: RecordedPayload<K>; at: number } }[AthosEventName];

/** How `connect()` settled: a rejection as the error's JSON (and whether the `error` event carried the same object). */
export type ConnectResult = { ok: true } | { ok: false; error: (AthosRoleplayErrorJSON & { sameAsEvent: boolean }) | string };

/** A `stateChange`; `before` is how many other events had been recorded when it came. */
export interface RecordedTransition {
  state: SessionState;
  previous: SessionState;
  before: number;
}

const harness = {
  sdk,
  session: undefined as RoleplaySession | undefined,
  /** Every event but `stateChange`, which goes to `transitions`. */
  events: [] as RecordedEvent[],
  transitions: [] as RecordedTransition[],
  connectResult: undefined as ConnectResult | undefined,
  /** Every token redemption the page started, in order: its HTTP status once answered. */
  redemptions: [] as Array<{ status?: number }>,
  /** The call id of the last successful redemption. */
  callId: undefined as string | undefined,
  /** Creates a session that records all its events; does not connect. */
  create(options: AthosRoleplayCreateOptions): RoleplaySession {
    const session = sdk.create(options);
    harness.session = session;
    session.on('error', (error) => errorInstances.push(error));
    session.on('stateChange', ({ state, previous }) => {
      harness.transitions.push({ state, previous, before: harness.events.length });
    });
    for (const name of sdk.ATHOS_EVENT_NAMES.filter((event) => event !== 'stateChange')) {
      session.on(name, (payload: unknown) => {
        const value = payload instanceof sdk.AthosRoleplayError ? payload.toJSON() : payload;
        harness.events.push({ name, payload: value, at: performance.now() } as RecordedEvent);
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

// Records the SDK's token redemptions: whether one was attempted, and the call id it got. The
// SDK reads `fetch` from the page at call time, so it goes through this.
const pageFetch = window.fetch.bind(window);
window.fetch = async (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  if (!url.endsWith('/roleplay/session')) return pageFetch(input, init);
  const record: { status?: number } = {};
  harness.redemptions.push(record);
  const response = await pageFetch(input, init);
  record.status = response.status;
  if (response.ok) harness.callId = ((await response.clone().json()) as { callId: string }).callId;
  return response;
};

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

/** What the tests reach as `window.harness`. */
export type Harness = typeof harness;

declare global {
  interface Window {
    harness: Harness;
  }
}

window.harness = harness;
