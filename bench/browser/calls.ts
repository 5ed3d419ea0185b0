import type { Page } from '@playwright/test';
import type {} from '../page/window.d.ts'; // window.bench and the probes' globals
import type { Athos } from './fixtures.ts';

/** Starts a call on a bench page with a fresh token; resolves once it is ready, throws if it fails. */
export async function startCall(page: Page, athos: Athos): Promise<void> {
  const token = await athos.mintToken();
  const outcome = await page.evaluate(
    async (options) => {
      await window.bench.start(options);
      return window.bench.outcome;
    },
    { token, drillKey: 'ma-full-sale', apiBase: athos.url },
  );
  if (outcome !== 'ok') throw new Error(`connect() failed: ${outcome}`);
}

/** Ends the call on a bench page. */
export function endCall(page: Page): Promise<void> {
  return page.evaluate(() => window.bench.stop());
}

/** Waits for the `count`-th `name` event of the current call; returns its time (page `performance.now()` ms). */
export async function waitForEvent(page: Page, name: string, { count = 1, timeout = 15_000 } = {}): Promise<number> {
  const handle = await page.waitForFunction(
    ([wanted, n]) => window.bench.events.filter((event) => event.name === wanted)[(n as number) - 1]?.at,
    [name, count] as const,
    { timeout, polling: 10 },
  );
  return (await handle.jsonValue()) as number;
}
