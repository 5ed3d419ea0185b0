import type { AthosRoleplayError } from '../errors/AthosRoleplayError.ts';
import type { AthosPersona } from '../redeem/Redemption.ts';

/** Every event of a {@link RoleplaySession} and its payload. */
export type AthosEventMap = {
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
  /** The call ended, whatever the cause, exactly once. */
  ended: { callId: string; durationSec: number };
  /** A domain error. Branch on `code`, never parse `message`. */
  error: AthosRoleplayError;
};

/** The name of an event of {@link AthosEventMap}. */
export type AthosEventName = keyof AthosEventMap;

/** Every event name, for logging all events or building UIs. */
export const ATHOS_EVENT_NAMES = Object.freeze([
  'connecting',
  'ready',
  'personaSpeaking',
  'userSpeaking',
  'reconnecting',
  'reconnected',
  'ended',
  'error',
] as const satisfies readonly AthosEventName[]);
