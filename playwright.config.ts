import { defineConfig } from '@playwright/test';
import { AUTOPLAY_ARGS, CHROMIUM_ARGS, CHROMIUM_PATH, FAKE_MIC_ARGS } from './e2e/browsers/chromium.ts';
import type { EngineOptions } from './e2e/fixtures.ts';

// The benchmarks launch Chromium the same way.
export { AUTOPLAY_ARGS, CHROMIUM_ARGS, FAKE_MIC_ARGS };

/** The page server for the harness and the demo; started by Playwright. */
const PAGE_PORT = 5174;

/**
 * Two projects. `chromium` runs every spec; `firefox` runs the scenarios both engines share
 * (e2e/scenarios/), driven through puppeteer-core (see e2e/browsers/firefox.ts). Run them
 * through `node scripts/e2e.mjs`, which provides the network namespace and Firefox's sound
 * server; `--project=firefox` runs one engine.
 */
export default defineConfig<EngineOptions>({
  testDir: 'e2e',
  outputDir: 'test-results/e2e-artifacts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  forbidOnly: true,
  reporter: [['line'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    baseURL: `http://localhost:${PAGE_PORT}`,
    browserName: 'chromium',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS, ...FAKE_MIC_ARGS, ...AUTOPLAY_ARGS],
    },
    permissions: ['microphone'],
    trace: 'off',
  },
  projects: [
    { name: 'chromium', use: { engine: 'chromium' } },
    { name: 'firefox', testMatch: 'scenarios/**/*.spec.ts', use: { engine: 'firefox' } },
  ],
  webServer: {
    command: `npx vite --port ${PAGE_PORT} --strictPort --host localhost`,
    url: `http://localhost:${PAGE_PORT}/e2e/harness.html`,
    reuseExistingServer: !process.env.CI,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
