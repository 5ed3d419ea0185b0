/**
 * What a shared scenario may do with a page: the few calls the scenarios in `e2e/scenarios/`
 * use, with Playwright's meaning. Playwright's own `Page` satisfies it as it is (Chromium); in
 * Firefox {@link FirefoxPage} provides it over WebDriver BiDi.
 *
 * Anything else a scenario needs from the browser (granting the microphone, another setup)
 * is a fixture that each engine implements; see `e2e/fixtures.ts`.
 */
export interface ScenarioPage {
  /** Loads `url` (relative to the page server) and waits for its `load` event. */
  goto(url: string): Promise<unknown>;
  /** Runs `fn` in the page, with `arg` passed through JSON-like serialisation, and returns its result. */
  evaluate<R>(fn: () => R | Promise<R>): Promise<R>;
  evaluate<R, Arg>(fn: (arg: Arg) => R | Promise<R>, arg: Arg): Promise<R>;
  /** Waits until `fn(arg)` returns a truthy value in the page (no timeout unless given). */
  waitForFunction<R, Arg>(fn: (arg: Arg) => R, arg: Arg, options?: { timeout?: number }): Promise<unknown>;
  /** Clicks the element `selector` finds, as a user does: this is a user gesture. */
  click(selector: string): Promise<void>;
  /**
   * Runs `script` (with `arg`, serialised like {@link ScenarioPage.evaluate}'s) in every document
   * the page loads from now on, before the page's own scripts.
   */
  addInitScript(script: () => void): Promise<unknown>;
  addInitScript<Arg>(script: (arg: Arg) => void, arg: Arg): Promise<unknown>;
}
