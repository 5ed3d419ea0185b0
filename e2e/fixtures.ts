import { type Browser, test as base, expect, type Page } from '@playwright/test';
import type { Browser as PuppeteerBrowser } from 'puppeteer-core';
// The demo page's backend (plain JavaScript), answering the page's /demo-api requests.
import { createDemoApi } from '../demo/backend.js';
// The local Athos server is plain JavaScript; it runs inside each Playwright worker.
import { startAthosServer } from '../server/index.js';
import { type BrowserSetup, completeSetup, DEFAULT_SETUP, isDefaultSetup } from './browsers/BrowserSetup.ts';
import { CHROMIUM_PATH, chromiumArgs, chromiumPermissions, holdAudioContextsSuspended } from './browsers/chromium.ts';
import { FirefoxPage, launchFirefox } from './browsers/firefox.ts';
import type { ScenarioPage } from './browsers/ScenarioPage.ts';
import type {} from './harness.ts'; // window.harness
import { installLeakProbe } from './harnessPage.ts';

export type { BrowserSetup, ScenarioPage };

/** A local Athos server of one worker, with its fault controls on. */
export interface AthosServerHandle {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** What the fault controls require in `X-Athos-Fault-Secret`. */
  faultSecret: string;
  /** Mints a fresh session token as an integrator's backend would. */
  mintToken(externalUserId?: string): Promise<string>;
  /** Calls a fault control, e.g. `fault('drop')` or `fault('stall', { seconds: 5 })`. */
  fault(name: string, body?: unknown): Promise<unknown>;
  /** What the gateway knows of a call (test-only endpoint). */
  callStats(callId: string): Promise<Record<string, unknown>>;
  /** Every call of this server so far, oldest first, with its state (test-only endpoint). */
  calls(): Promise<Array<{ callId: string; state: string }>>;
  /** A REST call with the API key. */
  rest(path: string): Promise<{ status: number; body: Record<string, unknown> }>;
}

/** The browser engine a project runs: set per project in playwright.config.ts. */
export type Engine = 'chromium' | 'firefox';

/** The options a project or a `test.use()` sets. */
export interface EngineOptions {
  engine: Engine;
  /** The machine the test's browser runs on; tests with another than the default get a browser of their own. */
  browserSetup: BrowserSetup;
}

/** A page of either engine, and what the test may do to its browser. */
interface ScenarioTab {
  page: ScenarioPage;
  /**
   * After a refusal, a harness page whose browser allows the microphone. Chromium grants it to
   * the same page. Firefox cannot be told at run time (its WebDriver BiDi rejects
   * `permissions.setPermission` for `microphone`), so there it is a page of a browser that allows it.
   */
  allowMicrophone(): Promise<ScenarioPage>;
}

/** The browsers of one worker with the default setup, launched on first use. */
interface DefaultBrowsers {
  chromium(): Promise<Browser>;
  firefox(): Promise<PuppeteerBrowser>;
}

const API_KEY = 'ath_test_e2e';

/** Loads the harness page and waits until it is ready. */
async function openHarness(page: ScenarioPage): Promise<ScenarioPage> {
  await page.goto('/e2e/harness.html');
  await page.waitForFunction(() => 'harness' in window, undefined);
  return page;
}

export const test = base.extend<
  EngineOptions & {
    athosPage: Page;
    demoPage: Page;
    scenarioTab: ScenarioTab;
    harness: ScenarioPage;
    allowMicrophone: () => Promise<ScenarioPage>;
  },
  { athos: AthosServerHandle; defaultBrowsers: DefaultBrowsers }
>({
  engine: ['chromium', { option: true }],
  browserSetup: [DEFAULT_SETUP, { option: true }],
  defaultBrowsers: [
    async ({ playwright }, use) => {
      let chromium: Promise<Browser> | undefined;
      let firefox: Promise<PuppeteerBrowser> | undefined;
      await use({
        chromium: () => {
          chromium ??= playwright.chromium.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs(DEFAULT_SETUP) });
          return chromium;
        },
        firefox: () => {
          firefox ??= launchFirefox(DEFAULT_SETUP);
          return firefox;
        },
      });
      await (await chromium)?.close();
      await (await firefox)?.close();
    },
    { scope: 'worker' },
  ],
  // Playwright's own pages (Chromium-only specs) and the Chromium scenarios share one browser.
  browser: [async ({ defaultBrowsers }, use) => use(await defaultBrowsers.chromium()), { scope: 'worker' }],
  /** Every page records what it opens, for {@link leftovers}; a non-default setup gets its own browser. */
  page: async ({ context, playwright, browserSetup, baseURL }, use) => {
    const setup = completeSetup(browserSetup);
    const browser = isDefaultSetup(setup)
      ? null
      : await playwright.chromium.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs(setup) });
    const owner = browser ? await browser.newContext({ baseURL, permissions: chromiumPermissions(setup) }) : context;
    const page = await owner.newPage();
    if (setup.speakers === 'absent') await page.addInitScript(holdAudioContextsSuspended);
    await installLeakProbe(page);
    await use(page);
    await browser?.close();
  },
  scenarioTab: async ({ engine, browserSetup, defaultBrowsers, playwright, baseURL }, use) => {
    const setup = completeSetup(browserSetup);
    const shared = isDefaultSetup(setup);
    if (engine === 'chromium') {
      const browser = shared
        ? await defaultBrowsers.chromium()
        : await playwright.chromium.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs(setup) });
      const context = await browser.newContext({ baseURL, permissions: chromiumPermissions(setup) });
      const page = await context.newPage();
      if (setup.speakers === 'absent') await page.addInitScript(holdAudioContextsSuspended);
      await installLeakProbe(page);
      const allowMicrophone = async () => {
        await context.grantPermissions(['microphone']);
        return page;
      };
      await use({ page, allowMicrophone });
      await context.close();
      if (!shared) await browser.close();
      return;
    }
    const browser = shared ? await defaultBrowsers.firefox() : await launchFirefox(setup);
    const contexts: Array<{ close(): Promise<void> }> = [];
    const newPage = async (owner: PuppeteerBrowser) => {
      const context = await owner.createBrowserContext();
      contexts.push(context);
      const page = new FirefoxPage(await context.newPage(), baseURL as string);
      await installLeakProbe(page);
      return page;
    };
    const page = await newPage(browser);
    const allowMicrophone = async () => openHarness(await newPage(await defaultBrowsers.firefox()));
    await use({ page, allowMicrophone });
    for (const context of contexts) await context.close();
    if (!shared) await browser.close();
  },
  allowMicrophone: async ({ scenarioTab }, use) => use(scenarioTab.allowMicrophone),
  /** The harness page in the project's engine, for the scenarios both engines share. */
  harness: async ({ scenarioTab, athos }, use) => {
    await athos.fault('reset');
    const page = await openHarness(scenarioTab.page);
    await use(page);
    // Leave no call running into the next test.
    await page.evaluate(() => window.harness.session?.disconnect());
  },
  athos: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this destructuring; it must be there, even empty.
    async ({}, use) => {
      const server = await startAthosServer({ port: 0, apiKey: API_KEY, faults: true });
      const faultSecret = { 'X-Athos-Fault-Secret': server.faultSecret ?? '' };
      const post = async (path: string, body: unknown, headers: Record<string, string>) => {
        const response = await fetch(`${server.url}${path}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...headers },
          body: JSON.stringify(body ?? {}),
        });
        return response.json();
      };
      const get = async (path: string) => (await fetch(`${server.url}${path}`, { headers: faultSecret })).json();
      await use({
        url: server.url,
        faultSecret: server.faultSecret ?? '',
        async mintToken(externalUserId = 'rep-e2e') {
          const body = (await post('/api/external/v1/session', { externalUserId }, { Authorization: `Bearer ${API_KEY}` })) as {
            token: string;
          };
          return body.token;
        },
        fault: (name, body) => post(`/__faults/${name}`, body, faultSecret),
        callStats: (callId) => get(`/__faults/calls/${callId}`),
        calls: async () => (await get('/__faults/calls')).calls,
        async rest(path) {
          const response = await fetch(`${server.url}/api/external/v1${path}`, {
            headers: { Authorization: `Bearer ${API_KEY}` },
          });
          return { status: response.status, body: await response.json() };
        },
      });
      await server.close();
    },
    { scope: 'worker' },
  ],
  /** The harness page in Chromium, as a Playwright page (Chromium-only specs). */
  athosPage: async ({ page, athos }, use) => {
    await athos.fault('reset');
    await openHarness(page);
    await use(page);
    await page.evaluate(() => window.harness.session?.disconnect());
  },
  /**
   * The demo page (`/demo/`) with its backend: the page's `/demo-api` requests are answered by
   * demo/backend.js against this worker's server, as `npm start` answers them.
   */
  demoPage: async ({ page, athos }, use) => {
    await athos.fault('reset');
    const demoApi = createDemoApi({ athosUrl: athos.url, apiKey: API_KEY, faultSecret: athos.faultSecret });
    await page.route('**/demo-api/**', async (route) => {
      const request = route.request();
      const url = new URL(request.url());
      const { status, body } = await demoApi({
        method: request.method(),
        path: url.pathname.slice('/demo-api'.length),
        body: request.postData() ?? '',
        origin: request.headers().origin,
        ownOrigin: url.origin,
      });
      await route.fulfill({ status, json: body });
    });
    await page.goto('/demo/');
    await page.locator('body[data-ready="true"]').waitFor();
    await use(page);
  },
});

export * from './harnessPage.ts';
export { expect };
