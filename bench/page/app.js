/**
 * The bench page: an app that uses the built SDK (dist/index.mjs) as an integrator would, and
 * records every event with its `performance.now()` time in `window.bench`.
 */
import * as sdk from '/dist/index.mjs';

/** @type {import('./window.d.ts').BenchApp} */
const bench = {
  session: undefined,
  events: [],
  connectAt: 0,
  outcome: undefined,

  async start(options) {
    bench.events = [];
    bench.outcome = undefined;
    const session = sdk.create(options);
    bench.session = session;
    for (const name of sdk.ATHOS_EVENT_NAMES) {
      session.on(name, (payload) =>
        bench.events.push({ name, at: performance.now(), code: sdk.AthosRoleplayError.is(payload) ? payload.code : undefined }),
      );
    }
    bench.connectAt = performance.now();
    try {
      await session.connect();
      bench.outcome = 'ok';
    } catch (error) {
      bench.outcome = sdk.AthosRoleplayError.is(error) ? error.code : String(error);
    }
  },

  async stop() {
    await bench.session?.disconnect();
    bench.session = undefined;
  },

  when(name) {
    return bench.events.find((event) => event.name === name)?.at;
  },
};

window.bench = bench;
