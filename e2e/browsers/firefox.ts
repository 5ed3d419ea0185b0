/**
 * Debian's Firefox ESR, driven by puppeteer-core over WebDriver BiDi.
 *
 * Why this driver: Playwright 1.65 drives only its own patched Firefox (Juggler protocol), which
 * cannot be downloaded here, and its BiDi channel fails against a stock Firefox on
 * `emulation.setMediaFeaturesOverride`. Selenium or WebdriverIO would also speak BiDi, but
 * each brings its own runner conventions; puppeteer-core is a library with a page API close to
 * Playwright's, so the scenarios keep Playwright's test runner, fixtures and `expect` in both
 * engines and only the page object differs ({@link FirefoxPage}).
 */
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { BrowserSetup } from './BrowserSetup.ts';
import type { ScenarioPage } from './ScenarioPage.ts';

/** Where Debian installs Firefox ESR (scripts/lib/firefox.mjs installs it). */
export const FIREFOX_PATH = '/usr/bin/firefox-esr';

/**
 * The private PulseAudio server that scripts/e2e.mjs starts for the run. Its default input
 * loops the rep's sentence; its default output plays into nothing.
 */
function pulseServer(): string {
  const server = process.env.ATHOS_PULSE_SERVER;
  if (!server) throw new Error('No sound server for Firefox: run the end-to-end tests with `node scripts/e2e.mjs`.');
  return server;
}

/** A Unix socket nobody listens on: Firefox then finds no sound device at all, as on a bare machine. */
const NO_SOUND_SERVER = 'unix:/nonexistent/athos-no-sound-server';

/** Firefox's preferences and environment for `setup`. */
function launchOptions(setup: Required<BrowserSetup>): { prefs: Record<string, unknown>; env: Record<string, string> } {
  const prefs: Record<string, unknown> = {
    // Real capture from the sound server's default input, allowed without a prompt.
    'media.navigator.streams.fake': false,
    'media.navigator.permission.disabled': true,
    // 0 plays without a gesture; 1 blocks audible autoplay, AudioContexts included.
    'media.autoplay.default': setup.autoplay === 'blocked' ? 1 : 0,
    // A page that captures a real microphone may autoplay in spite of the default above, and
    // the SDK captures before it plays; 2 (user input for every play) still refuses an
    // <audio> element then (AudioContexts run).
    'media.autoplay.blocking_policy': setup.autoplay === 'blocked' ? 2 : 0,
    // Peer connections inside the namespace have only loopback addresses to offer.
    'media.peerconnection.ice.loopback': true,
    'media.peerconnection.ice.obfuscate_host_addresses': false,
  };
  if (setup.microphone === 'talking') throw new Error("The 'talking' microphone exists only in Chromium.");
  if (setup.microphone === 'refused') {
    prefs['media.navigator.permission.disabled'] = false;
    prefs['permissions.default.microphone'] = 2;
  }
  let server = pulseServer();
  if (setup.microphone === 'absent') server = NO_SOUND_SERVER;
  if (setup.speakers === 'absent') {
    server = NO_SOUND_SERVER;
    // Firefox's built-in fake microphone (a continuous 1 kHz tone) needs no sound device.
    prefs['media.navigator.streams.fake'] = true;
  }
  return { prefs, env: { PULSE_SERVER: server } };
}

/** Starts a headless Firefox ESR for `setup`. */
export function launchFirefox(setup: Required<BrowserSetup>): Promise<Browser> {
  const { prefs, env } = launchOptions(setup);
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    extraPrefsFirefox: prefs,
    env: { ...process.env, ...env },
  });
}

/** {@link ScenarioPage} over a puppeteer page in Firefox. */
export class FirefoxPage implements ScenarioPage {
  readonly #page: Page;
  readonly #baseURL: string;

  /**
   * @param page - a page of a Firefox that {@link launchFirefox} started
   * @param baseURL - the page server, for relative URLs
   */
  constructor(page: Page, baseURL: string) {
    this.#page = page;
    this.#baseURL = baseURL;
  }

  async goto(url: string): Promise<unknown> {
    return this.#page.goto(new URL(url, this.#baseURL).href);
  }

  evaluate<R>(fn: () => R | Promise<R>): Promise<R>;
  evaluate<R, Arg>(fn: (arg: Arg) => R | Promise<R>, arg: Arg): Promise<R>;
  evaluate<R, Arg>(fn: (arg?: Arg) => R | Promise<R>, arg?: Arg): Promise<R> {
    // Puppeteer types the argument as it arrives in the page (handles unwrapped); plain data here.
    return this.#page.evaluate(fn as (arg: unknown) => R, arg) as Promise<R>;
  }

  waitForFunction<R, Arg>(fn: (arg: Arg) => R, arg: Arg, options: { timeout?: number } = {}): Promise<unknown> {
    // Playwright waits without a limit of its own (the test's timeout applies); so does this.
    return this.#page.waitForFunction(fn as (arg: unknown) => R, { polling: 50, timeout: options.timeout ?? 0 }, arg);
  }

  click(selector: string): Promise<void> {
    return this.#page.click(selector);
  }

  addInitScript(script: () => void): Promise<unknown>;
  addInitScript<Arg>(script: (arg: Arg) => void, arg: Arg): Promise<unknown>;
  addInitScript<Arg>(script: (arg?: Arg) => void, arg?: Arg): Promise<unknown> {
    return arg === undefined ? this.#page.evaluateOnNewDocument(script) : this.#page.evaluateOnNewDocument(script, arg);
  }
}
