import { test as base, type Page } from '@playwright/test';
import {
  addWorkerProbe,
  installWorkerProbe,
  type ProbeScript,
  peakProbe,
  resourceProbe,
  trafficProbe,
  withoutWebCodecs,
} from '../../e2e/workerProbe.ts';
import { FAKE_MIC_ARGS } from '../../playwright.config.ts';
// Plain JavaScript, shared with the Node benchmarks and the end-to-end tests.
import { startAthosServer } from '../../server/index.js';
import { mintToken } from '../lib/athos-api.mjs';
import { clickPersonaFactory } from '../lib/click-persona.mjs';
import { startPageServer } from '../lib/page-server.mjs';
import { silentMicArgs } from '../lib/silent-mic.mjs';

/** Init scripts in bench/page/probes/. */
export type Probe = 'timeline' | 'audio-onsets' | 'synthetic-mic' | 'resources';

/**
 * What each probe reads in the SDK's Worker, where the socket and the codec run: the scripts of
 * e2e/workerProbe.ts that the Worker runs first (their reports land in `window.workerProbe`).
 */
const WORKER_SCRIPTS: Record<Probe, ProbeScript[]> = {
  timeline: [trafficProbe],
  'audio-onsets': [peakProbe],
  'synthetic-mic': [peakProbe],
  resources: [resourceProbe],
};

export interface Athos {
  /** `http://127.0.0.1:PORT`, the SDK's `apiBase`. */
  url: string;
  mintToken(): Promise<string>;
}

interface WorkerFixtures {
  /** What the fake microphone captures: the e2e fixture's sentence and silence, or only silence. */
  rep: 'speaking' | 'silent';
  /** Which persona the local server runs: its scripted one, or lib/click-persona.mjs. */
  persona: 'scripted' | 'clicks';
  athos: Athos;
  pageUrl: string;
}

interface TestFixtures {
  /**
   * A new page of the test's browser context with these probes, on the bench page; with
   * `codec: 'pcm16'` its SDK finds no WebCodecs in its Worker, so calls run on pcm16.
   */
  openBenchPage(probes: Probe[], options?: { codec?: 'opus' | 'pcm16' }): Promise<Page>;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  rep: ['speaking', { scope: 'worker', option: true }],
  launchOptions: [
    async ({ launchOptions, rep }, use) => {
      if (rep === 'speaking') return use(launchOptions);
      const args = (launchOptions.args ?? []).filter((arg) => !FAKE_MIC_ARGS.includes(arg));
      await use({ ...launchOptions, args: [...args, ...silentMicArgs()] });
    },
    { scope: 'worker' },
  ],
  persona: ['scripted', { scope: 'worker', option: true }],
  athos: [
    async ({ persona }, use) => {
      const server = await startAthosServer({
        host: '127.0.0.1',
        port: 0,
        apiKey: 'ath_test_bench',
        ...(persona === 'clicks' ? { createPersona: clickPersonaFactory() } : {}),
      });
      await use({ url: server.url, mintToken: () => mintToken(server) });
      await server.close();
    },
    { scope: 'worker' },
  ],
  pageUrl: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this destructuring; it must be there, even empty.
    async ({}, use) => {
      const server = await startPageServer();
      await use(server.url);
      await server.close();
    },
    { scope: 'worker' },
  ],
  openBenchPage: async ({ context, pageUrl }, use) => {
    await use(async (probes, { codec = 'opus' } = {}) => {
      const page = await context.newPage();
      const scripts = new Set(probes.flatMap((probe) => WORKER_SCRIPTS[probe]));
      if (codec === 'pcm16') scripts.add(withoutWebCodecs);
      if (scripts.size > 0) await installWorkerProbe(page);
      for (const probe of probes) {
        await page.addInitScript({ path: new URL(`../page/probes/${probe}.js`, import.meta.url).pathname });
      }
      await page.goto(pageUrl);
      await page.waitForFunction(() => 'bench' in window);
      for (const script of scripts) await addWorkerProbe(page, script);
      return page;
    });
  },
});
