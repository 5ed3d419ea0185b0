/**
 * The demo page's one state object: what the page knows about its backend and its calls. The
 * actions (demo/call.ts, demo/qaPanel.ts) change it; the views show it and keep nothing of
 * their own but the DOM.
 */
import type { AthosEventMap, AthosRoleplayError, RoleplaySession } from '../src/index.ts';

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
  /** Whether the rep is muted. */
  muted: boolean;
  /** Whether the page itself called `disconnect()`. */
  disconnectedByPage: boolean;
  /** The error that ended the call or kept it from starting, if one did. */
  endingError: AthosRoleplayError | undefined;
  /** Whether the call is over: ended, failed, or never got a session. */
  over: boolean;
  /** Ticks the reconnect countdown while the call reconnects. */
  reconnectTimer: ReturnType<typeof setInterval> | undefined;
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
}

/** The state of a page that has just loaded. */
export function createDemoState(): DemoState {
  return { config: undefined, lastToken: undefined, call: undefined, faultExpiryTimer: undefined };
}

/** The state of a call that is starting. */
export function createCallState(): CallState {
  return {
    session: undefined,
    wentLive: false,
    muted: false,
    disconnectedByPage: false,
    endingError: undefined,
    over: false,
    reconnectTimer: undefined,
  };
}

/** Whether a call is starting or running: then nothing on the page may start another. */
export function callInProgress(state: DemoState): boolean {
  return state.call !== undefined && !state.call.over;
}

/**
 * Why a call ended, as the "After the call" card shows it: the `reason` of the `ended` event
 * when the SDK sends one, and until it does, what the page saw itself: its own `disconnect()`
 * (`client`), or the code of the error that ended the call.
 */
export function endReason(ended: AthosEventMap['ended'], call: CallState): string {
  if ('reason' in ended && typeof ended.reason === 'string') return ended.reason;
  if (call.disconnectedByPage) return 'client';
  if (call.endingError) return call.endingError.code;
  return 'Athos ended it (max_duration or ended_by_athos; this SDK version does not say which)';
}
