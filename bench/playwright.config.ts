import { defineConfig } from '@playwright/test';
import { AUTOPLAY_ARGS, CHROMIUM_ARGS, FAKE_MIC_ARGS } from '../playwright.config.ts';

/**
 * The browser benchmarks (bench/browser/*.bench.ts), run by bench/run.mjs inside a private
 * network namespace. Same Chromium and flags as the end-to-end tests; one worker, so the
 * benchmarks do not compete with each other for the two cores.
 */
export default defineConfig({
  testDir: 'browser',
  testMatch: '*.bench.ts',
  outputDir: '../test-results/bench-artifacts',
  timeout: 240_000,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: [['line']],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [...CHROMIUM_ARGS, ...FAKE_MIC_ARGS, ...AUTOPLAY_ARGS],
    },
    permissions: ['microphone'],
    trace: 'off',
  },
});
