import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import type { Page, Response } from '@playwright/test';
import { startAthosServer } from '../server/index.js';
import { expect, leftovers, NOTHING_RUNNING, test } from './fixtures.ts';

// The framework examples, installed and built against the packed SDK by scripts/examples.mjs
// (`npm test` runs it first), driven in Chromium against a local Athos server. The examples
// are configured (their .env) for the local server's defaults: port 8787, key ath_test_local.
// Inside the test's private network namespace that port is free.

const EXAMPLES = resolve(import.meta.dirname, '../examples');
const ATHOS_PORT = 8787;
const API_KEY = 'ath_test_local';

/** What the Athos server logged (requests and calls), for counting what it saw. */
const serverLog: string[] = [];
let athos: Awaited<ReturnType<typeof startAthosServer>> | undefined;

/** Token mints, redemptions and calls the server saw since the test began, and how those calls ended. */
function serverSaw() {
  const count = (pattern: RegExp) => serverLog.filter((line) => pattern.test(line)).length;
  return {
    mints: count(/^POST \/api\/external\/v1\/session 200 /),
    redemptions: count(/^POST \/api\/external\/v1\/roleplay\/session 200 /),
    calls: count(/^call athos_call_\S+ live /),
    ended: serverLog.flatMap((line) => /^call athos_call_\S+ ended: (\w+)$/.exec(line)?.[1] ?? []),
  };
}

/** A free port on 127.0.0.1 for an example's server. */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/** An example's server, started by this file and stopped by it (the whole process group it made). */
interface ExampleServer {
  url: string;
  process: ChildProcess;
  output: string[];
}

/**
 * Starts `node <bin> ...args` in an example's folder and waits (at most 90 s) until `url`
 * answers. The server's output is kept for the error message if it never does.
 */
async function startExample(example: string, bin: string, args: string[], url: string): Promise<ExampleServer> {
  const dir = resolve(EXAMPLES, example);
  if (!existsSync(resolve(dir, bin))) {
    throw new Error(`examples/${example} is not installed: run node scripts/examples.mjs (npm test does)`);
  }
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: dir,
    detached: true,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', BROWSER: 'none' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline && child.exitCode === null) {
    const answered = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (answered) return { url, process: child, output };
    await new Promise((wait) => setTimeout(wait, 250));
  }
  stopExample({ url, process: child, output });
  throw new Error(`examples/${example} did not answer on ${url}:\n${output.join('').slice(-2000)}`);
}

function stopExample(server: ExampleServer | undefined): void {
  if (server?.process.pid !== undefined && server.process.exitCode === null) process.kill(-server.process.pid, 'SIGTERM');
}

/** Console errors and uncaught exceptions of a page. */
function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

const callState = (page: Page) => page.getByLabel('Call state');
/** Until a call is live: the microphone, the mint through the example's backend, the redemption and the connection (as `startCall` waits for `ready`). */
const CONNECTED = { timeout: 15_000 };

test.beforeAll(async () => {
  athos = await startAthosServer({ port: ATHOS_PORT, apiKey: API_KEY, log: (line) => serverLog.push(line) });
});

test.afterAll(async () => {
  await athos?.close();
});

test.beforeEach(() => {
  serverLog.length = 0;
});

test.describe('Vite + React example (dev server, StrictMode)', () => {
  let vite: ExampleServer | undefined;

  test.beforeAll(async ({ browser }) => {
    const port = await freePort();
    vite = await startExample(
      'vite-react',
      'node_modules/vite/bin/vite.js',
      ['--port', String(port), '--strictPort', '--host', '127.0.0.1'],
      `http://127.0.0.1:${port}/`,
    );
    // The first load makes Vite prepare the dependencies; no test should see that reload.
    const page = await browser.newPage();
    await page.goto(vite.url);
    await page.getByRole('button', { name: 'Start practice' }).waitFor();
    await page.close();
  });

  test.afterAll(() => stopExample(vite));

  test('opening the call screen makes one token and one call; leaving mid-call ends it and leaves nothing running', async ({
    page,
  }) => {
    // The dev server runs React's development build, where StrictMode mounts every component twice.
    expect(readFileSync(resolve(EXAMPLES, 'vite-react/src/main.tsx'), 'utf8')).toMatch(
      /<StrictMode>\s*<App \/>\s*<\/StrictMode>/,
    );
    const errors = pageErrors(page);
    await page.goto(vite!.url);
    await page.getByRole('button', { name: 'Start practice' }).click();
    await expect(callState(page)).toHaveText('connected', CONNECTED);
    // The persona greets the rep: heard, and drawn by the output level meter.
    await expect(page.getByText(/ is speaking/)).toBeVisible({ timeout: 20_000 });
    await expect.poll(() => page.getByLabel('Persona').evaluate((meter: HTMLMeterElement) => meter.value)).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Mute' }).click();
    await expect(page.getByRole('button', { name: 'Unmute' })).toBeVisible();
    expect(serverSaw()).toEqual({ mints: 1, redemptions: 1, calls: 1, ended: [] });

    await page.getByRole('button', { name: 'Leave' }).click();
    await expect.poll(() => serverSaw().ended).toEqual(['client']);
    await expect.poll(() => leftovers(page)).toEqual(NOTHING_RUNNING);
    expect(serverSaw()).toEqual({ mints: 1, redemptions: 1, calls: 1, ended: ['client'] });
    expect(errors).toEqual([]);
  });

  test('leaving while the token is minted cancels the mint: no call, nothing running; the next visit makes exactly one call', async ({
    page,
  }) => {
    const errors = pageErrors(page);
    // The token route is held in the browser until the test lets it go, so the mint is pending.
    let mintRequested!: () => void;
    const minting = new Promise<void>((resolveMint) => {
      mintRequested = resolveMint;
    });
    await page.route('**/api/athos-token', async (route) => {
      mintRequested();
      await page.waitForEvent('requestfailed', { predicate: (request) => request === route.request() });
      await route.abort().catch(() => undefined);
    });
    const cancelled = page.waitForEvent('requestfailed', { predicate: (request) => request.url().endsWith('/api/athos-token') });
    await page.goto(vite!.url);
    await page.getByRole('button', { name: 'Start practice' }).click();
    await minting;
    await expect(callState(page)).toHaveText('connecting');
    await page.getByRole('button', { name: 'Leave' }).click();
    expect((await cancelled).failure()?.errorText).toMatch(/ABORTED/);
    await expect.poll(() => leftovers(page)).toEqual(NOTHING_RUNNING);
    expect(serverSaw()).toEqual({ mints: 0, redemptions: 0, calls: 0, ended: [] });

    await page.unrouteAll();
    await page.getByRole('button', { name: 'Start practice' }).click();
    await expect(callState(page)).toHaveText('connected', CONNECTED);
    expect(serverSaw()).toEqual({ mints: 1, redemptions: 1, calls: 1, ended: [] });
    await page.getByRole('button', { name: 'Leave' }).click();
    await expect.poll(() => serverSaw().ended).toEqual(['client']);
    await expect.poll(() => leftovers(page)).toEqual(NOTHING_RUNNING);
    expect(errors).toEqual([]);
  });

  test('hanging up and calling again on one screen: a new token and call each time, the end reason shown', async ({ page }) => {
    await page.goto(vite!.url);
    await page.getByRole('button', { name: 'Start practice' }).click();
    await expect(callState(page)).toHaveText('connected', CONNECTED);
    await page.getByRole('button', { name: 'Hang up' }).click();
    await expect(callState(page)).toHaveText('ended');
    await expect(page.getByText(/^The call ended \(client\) after \d+ s/)).toBeVisible();
    await page.getByRole('button', { name: 'Call again' }).click();
    await expect(callState(page)).toHaveText('connected', CONNECTED);
    await expect(page.getByText(/^The call ended/)).toBeHidden();
    expect(serverSaw()).toEqual({ mints: 2, redemptions: 2, calls: 2, ended: ['client'] });
    await page.getByRole('button', { name: 'Leave' }).click();
    await expect.poll(() => serverSaw().ended).toEqual(['client', 'client']);
  });
});

test.describe('Next.js example (next build, next start)', () => {
  let next: ExampleServer | undefined;

  test.beforeAll(async () => {
    if (!existsSync(resolve(EXAMPLES, 'nextjs/.next/BUILD_ID'))) {
      throw new Error('examples/nextjs is not built: run node scripts/examples.mjs (npm test does)');
    }
    const port = await freePort();
    next = await startExample(
      'nextjs',
      'node_modules/next/dist/bin/next',
      ['start', '--port', String(port), '--hostname', '127.0.0.1'],
      `http://127.0.0.1:${port}/`,
    );
  });

  test.afterAll(() => stopExample(next));

  test('renders its page on the server and in the browser without errors, and runs a call from the client component', async ({
    page,
  }) => {
    // Server-rendered: the client component's initial state is in the HTML.
    const html = await (await fetch(next!.url)).text();
    expect(html).toContain('Sales practice');
    expect(html).toMatch(/aria-label="Call state">idle</);

    const errors = pageErrors(page);
    const served: Response[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).origin === new URL(next!.url).origin) served.push(response);
    });
    await page.goto(next!.url);
    await page.getByRole('button', { name: 'Start the call' }).click();
    await expect(callState(page)).toHaveText('connected', CONNECTED);
    await expect(page.getByText(/ with \S+/)).toBeVisible();
    await page.getByRole('button', { name: 'Hang up' }).click();
    await expect(page.getByText(/^Call athos_call_\S+ ended \(client\)/)).toBeVisible();
    await expect.poll(() => leftovers(page)).toEqual(NOTHING_RUNNING);
    expect(serverSaw()).toEqual({ mints: 1, redemptions: 1, calls: 1, ended: ['client'] });
    expect(errors).toEqual([]);
    // The API key stays on the server: in no page or script the browser got.
    const bodies = await Promise.all(served.map((response) => response.text().catch(() => '')));
    expect(served.filter((response) => response.url().endsWith('.js')).length).toBeGreaterThan(0);
    expect(served.filter((_response, index) => bodies[index]?.includes(API_KEY)).map((response) => response.url())).toEqual([]);
  });
});
