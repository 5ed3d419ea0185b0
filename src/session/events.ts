import type { AthosRoleplayError } from '../errors/AthosRoleplayError.ts';
import type { AthosPersona } from '../redeem/Redemption.ts';
import type { AthosEndReason } from './endReason.ts';
import type { SessionState } from './lifecycle.ts';
import type { AthosTalkMetrics } from './TalkMetrics.ts';

/** Every event of a {@link RoleplaySession} and its payload. */
export type AthosEventMap = {
  /**
   * The lifecycle state changed (`idle → connecting → connected ⇄ reconnecting → ended`); on
   * every transition, before the event that goes with it (`connecting`, `ready`,
   * `reconnecting` (after the speaking flags reset by the drop), `reconnected`, `error`/`ended`).
   */
  stateChange: { state: SessionState; previous: SessionState };
  /** `connect()` started. */
  connecting: undefined;
  /** The persona is connected and ready to speak. */
  ready: { persona: AthosPersona };
  /** The persona started or stopped speaking, as the rep hears it. Only on change. */
  personaSpeaking: { speaking: boolean };
  /** The rep started or stopped speaking. Only on change; silent while muted. */
  userSpeaking: { speaking: boolean };
  /**
   * A transient network drop is being recovered. `deadline` (`Date.now()` milliseconds) is when
   * the SDK gives up: then `error` `NETWORK_LOST` and `ended` follow. Count down from it rather
   * than assuming 30 s.
   */
  reconnecting: { deadline: number };
  /** The drop was recovered; the same call goes on. */
  reconnected: undefined;
  /**
   * The call ended, whatever the cause, exactly once (for a call that got past token
   * redemption). `reason` says why; `metrics` are the call's final talk metrics.
   */
  ended: { callId: string; durationSec: number; reason: AthosEndReason; metrics: AthosTalkMetrics };
  /** A domain error. Branch on `code`, never parse `message`. */
  error: AthosRoleplayError;
  /**
   * The speaker chosen with `setSpeaker()` went away (unplugged, or gone from the device
   * list); the persona now plays on the default output. The call goes on.
   */
  speakerLost: { deviceId: string };
};

/** The name of an event of {@link AthosEventMap}. */
export type AthosEventName = keyof AthosEventMap;

/** Every event name, for logging all events or building UIs; the events of the first version come first. */
export const ATHOS_EVENT_NAMES = Object.freeze([
  'connecting',
  'ready',
  'personaSpeaking',
  'userSpeaking',
  'reconnecting',
  'reconnected',
  'ended',
  'error',
  'stateChange',
  'speakerLost',
] as const satisfies readonly AthosEventName[]);
