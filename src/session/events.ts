import type { AthosRoleplayError } from '../errors/AthosRoleplayError.ts';

/** The persona the rep talks to. */
export interface AthosPersona {
  /** The persona's name, e.g. `"Dorothy Hale"`. */
  name: string;
  /**
   * Fictitious profile details (gender, date of birth, address, plan category, current plan)
   * for Medicare drills; `null` for the others.
   */
  details: Record<string, unknown> | null;
}

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
  /** A transient network drop is being recovered. */
  reconnecting: undefined;
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
