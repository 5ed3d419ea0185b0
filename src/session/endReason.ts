import { CLOSE } from '../contract/voice.js';
import type { AthosRoleplayError } from '../errors/AthosRoleplayError.ts';

/**
 * Why a call ended, as the `ended` event reports it.
 *
 * - `client`: the app called `disconnect()`.
 * - `max_duration`: the call reached Athos's duration ceiling.
 * - `ended_by_athos`: Athos ended the call (or the gateway closed it normally without saying why).
 * - `resume_timeout`: after a drop, Athos refused to resume the call: its resume window had
 *   passed or the call had ended meanwhile (`error` `NETWORK_LOST` comes first).
 * - `network_lost`: the link did not come back within the SDK's 30 s reconnect window (`error`
 *   `NETWORK_LOST` comes first).
 * - `error`: another error ended the call; it came first as the `error` event.
 */
export type AthosEndReason = 'client' | 'max_duration' | 'ended_by_athos' | 'resume_timeout' | 'network_lost' | 'error';

/** The gateway's reasons the SDK passes on as they are. */
const GATEWAY_REASONS: ReadonlySet<string> = new Set(['client', 'max_duration', 'ended_by_athos', 'resume_timeout']);

/** The reason for a call the gateway ended with `reason`; one the SDK does not know is `ended_by_athos`. */
export function endReasonFromGateway(reason: string): AthosEndReason {
  return GATEWAY_REASONS.has(reason) ? (reason as AthosEndReason) : 'ended_by_athos';
}

/** The reason for a call that `error` ended. */
export function endReasonFromError(error: AthosRoleplayError): AthosEndReason {
  if (error.code !== 'NETWORK_LOST') return 'error';
  return error.closeCode === CLOSE.RESUME_REFUSED ? 'resume_timeout' : 'network_lost';
}
