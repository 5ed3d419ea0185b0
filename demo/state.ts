/**
 * The demo page's one state object: what the page knows about its backend and its calls. The
 * actions (demo/call.ts, demo/qaPanel.ts) change it; the views show it and keep nothing of
 * their own but the DOM.
 */
import type { AthosEndReason, AthosRoleplayError, RoleplaySession } from '../src/index.ts';

/** What the demo backend tells the page at load (`GET /demo-api/config`). */
export interface DemoConfig {
  /** The Athos server the page's calls go to. */
  apiBase: string;
  /** Whether that server's fault controls are on (the QA panel is shown only then). */
  faults: boolean;
}

/** One call, from the click that starts it until it is over. */
export interface CallState {
  /** The SDK session; unset while the token is minted, and for good when that or `create()` failed. */
  session: RoleplaySession | undefined;
  /** Whether the call got to `ready`: only such a call is recorded and scored by Athos. */
  wentLive: boolean;
  /** The error that ended the call or kept it from starting, if one did. */
  endingError: AthosRoleplayError | undefined;
  /** Whether the call is over: ended, failed, or never got a session. */
  over: boolean;
  /** Ticks the reconnect countdown while the call reconnects. */
  reconnectTimer: ReturnType<typeof setInterval> | undefined;
  /** Redraws the level meters on every animation frame while the call runs. */
  levelFrame: number | undefined;
  /** Refreshes the statistics and the talk metrics every second while the call runs. */
  figuresTimer: ReturnType<typeof setInterval> | undefined;
}

/** Everything the demo page knows. */
export interface DemoState {
  /** Unset until the demo backend answered. */
  config: DemoConfig | undefined;
  /** The token of the last call started, for the QA action "The last token again". */
  lastToken: string | undefined;
  /** The running call, or the last one; unset before the first. */
  call: CallState | undefined;
  /** Refreshes the fault status line when the soonest timed fault runs out. */
  faultExpiryTimer: ReturnType<typeof setTimeout> | undefined;
  /** The speaker chosen in "Check my setup" (`''`: the default), used by the next calls. */
  speakerId: string;
}

/** The state of a page that has just loaded. */
export function createDemoState(): DemoState {
  return { config: undefined, lastToken: undefined, call: undefined, faultExpiryTimer: undefined, speakerId: '' };
}

/** The state of a call that is starting. */
export function createCallState(): CallState {
  return {
    session: undefined,
    wentLive: false,
    endingError: undefined,
    over: false,
    reconnectTimer: undefined,
    levelFrame: undefined,
    figuresTimer: undefined,
  };
}

/** Whether a call is starting or running: then nothing on the page may start another. */
export function callInProgress(state: DemoState): boolean {
  return state.call !== undefined && !state.call.over;
}

/** What each reason of the `ended` event means, as the "After the call" card explains it. */
export const END_REASONS: Readonly<Record<AthosEndReason, string>> = Object.freeze({
  client: 'the page called disconnect()',
  max_duration: 'the call reached Athos’s duration ceiling',
  ended_by_athos: 'Athos ended the call',
  resume_timeout: 'after a drop, Athos refused to resume the call (its window passed, or the call had ended)',
  network_lost: 'the connection did not come back within 30 s',
  error: 'an error ended the call (see the error panel)',
});
