import type {
  AthosEventMap,
  AthosRoleplayCreateOptions,
  AthosRoleplayError,
  AthosTokenFunction,
  RoleplaySession,
  SessionSnapshot,
} from '@useathos/sdk';

/**
 * The options of `useRoleplaySession()`: those of `AthosRoleplay.create()`, except that `token`
 * must be a function, because the hook starts a new session (with a new single-use token) for
 * every call.
 */
export interface UseRoleplaySessionOptions extends Omit<AthosRoleplayCreateOptions, 'token'> {
  /**
   * Mints a session token for one call, typically by asking your backend; pass `signal` on to
   * `fetch`. Called inside `connect()` once the microphone is granted, and cancelled (the signal
   * aborts) when the call is disconnected or the component unmounts first. The hook reads the
   * newest function when a call starts, so an inline arrow function is fine.
   */
  token: AthosTokenFunction;
  /**
   * Starts a call when the component mounts: once per mount, `StrictMode`'s double mount
   * included. Default `false` (start it with `connect()`, e.g. from a click). A call started
   * without a click may meet `AUDIO_PLAYBACK_BLOCKED`: offer a button that calls `resumeAudio()`.
   */
  autoConnect?: boolean;
}

/**
 * What a call screen renders: the current session's {@link SessionSnapshot} (`state` is
 * `'idle'` before the first call), the last error and how the last call ended.
 */
export interface RoleplaySessionView extends SessionSnapshot {
  /**
   * The last error of the current call: an `error` event (which may or may not have ended the
   * call; see `state`), a failed start, or `BROWSER_NOT_SUPPORTED`. Cleared when a call starts.
   */
  readonly error: AthosRoleplayError | undefined;
  /** How the last call ended (the `ended` event: `callId`, `durationSec`, `reason`, `metrics`); cleared when a call starts. */
  readonly ended: AthosEventMap['ended'] | undefined;
  /**
   * The current call's session, for everything the hook does not wrap (`setMicrophone`,
   * `setSpeaker`, `setVolume`, `getStats`, `on`, …); `undefined` before the first call. Do not
   * call its `connect()`: use the hook's.
   */
  readonly session: RoleplaySession | undefined;
}

/** The actions of `useRoleplaySession()`. Each keeps its identity across renders. */
export interface RoleplaySessionActions {
  /**
   * Starts a call with a new session: the microphone, then `token()`, then the connection.
   * Resolves once the persona is ready, or once the start failed (the failure is in `error`) or
   * was cancelled; it never rejects. While a call is starting or live it starts nothing and
   * returns the same promise as the call's own start.
   */
  connect(): Promise<void>;
  /** Ends the call, or cancels a start in progress (minting included). Does nothing without a call. */
  disconnect(): Promise<void>;
  /** Stops sending the rep's audio; rejects with `INVALID_REQUEST` unless a call is live. */
  mute(): Promise<void>;
  /** Resumes sending the rep's audio; rejects with `INVALID_REQUEST` unless a call is live. */
  unmute(): Promise<void>;
  /** Starts the persona's audio after `AUDIO_PLAYBACK_BLOCKED`; call it from a click. */
  resumeAudio(): Promise<void>;
  /** The rep's microphone level now, 0–1 (0 while muted or without a call); cheap enough for every animation frame. */
  getInputLevel(): number;
  /** The persona's level now, 0–1 (0 while silent or without a call); cheap enough for every animation frame. */
  getOutputLevel(): number;
}

/** What `useRoleplaySession()` returns: the view of the call and the actions on it. */
export type UseRoleplaySessionResult = RoleplaySessionView & RoleplaySessionActions;
