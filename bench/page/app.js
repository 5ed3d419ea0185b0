/**
 * The bench page: an app that uses the built SDK (dist/index.mjs) as an integrator would, and
 * records every event with its `performance.now()` time in `window.bench`.
 */
import * as sdk from '/dist/index.mjs';

const bench = {
  session: undefined,
  /** @type {{ name: string, at: number, code?: string }[]} events of the current call */
  events: [],
  /** When `connect()` was called, in `performance.now()` ms. */
  connectAt: 0,
  /** How `connect()` settled: 'ok', an error code, or undefined while pending. */
  outcome: undefined,

  /** Creates a session, records its events and connects; resolves when `connect()` settles. */
  async start(options) {
    bench.events = [];
    bench.outcome = undefined;
    const session = (bench.session = sdk.create(options));
    for (const name of sdk.ATHOS_EVENT_NAMES) {
      session.on(name, (payload) => bench.events.push({ name, at: performance.now(), code: payload?.code }));
    }
    bench.connectAt = performance.now();
    try {
      await session.connect();
      bench.outcome = 'ok';
    } catch (error) {
      bench.outcome = error?.code ?? String(error);
    }
  },

  /** Ends the call and lets go of the session. */
  async stop() {
    await bench.session?.disconnect();
    bench.session = undefined;
  },

  /** When `name` was first recorded in the current call, or undefined. */
  when(name) {
    return bench.events.find((event) => event.name === name)?.at;
  },
};

window.bench = bench;
