import { resolve } from 'node:path';
import { defineConfig } from '@playwright/test';

/** The page server for the harness and the demo; started by Playwright. */
const PAGE_PORT = 5174;

/**
 * Chromium flags that work as root on a closed network, with fake media devices whose sound
 * is a rep's sentence followed by silence. Tests that need other flags override
 * `launchOptions` (see `e2e/fixtures.ts`).
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--allow-loopback-in-peer-connection',
];

export const FAKE_MIC_ARGS = [
  '--use-fake-device-for-media-stream',
  `--use-file-for-fake-audio-capture=${resolve(import.meta.dirname, 'e2e/fixtures/rep-speech.wav')}`,
];

export const AUTOPLAY_ARGS = ['--autoplay-policy=no-user-gesture-required'];

export default defineConfig({
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
      executablePath: '/usr/bin/chromium',
      args: [...CHROMIUM_ARGS, ...FAKE_MIC_ARGS, ...AUTOPLAY_ARGS],
    },
    permissions: ['microphone'],
    trace: 'off',
  },
  webServer: {
    command: `npx vite --port ${PAGE_PORT} --strictPort --host localhost`,
    url: `http://localhost:${PAGE_PORT}/e2e/harness.html`,
    reuseExistingServer: !process.env.CI,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
