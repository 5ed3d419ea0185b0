import { CLOSE_MEANINGS } from '../contract/voice.js';
import { type AthosErrorPhase, AthosRoleplayError } from '../errors/AthosRoleplayError.ts';
import { quoted } from '../utils/logger.ts';

/**
 * Whether a live socket closed with `code` is a drop that the SDK resumes from (going away, no
 * status, abnormal drop, gateway unavailable) rather than the end of the call.
 */
export function isDropClose(code: number): boolean {
  return CLOSE_MEANINGS[code]?.drop === true;
}

/**
 * The error for a socket the gateway closed with `code` and `reason` (both kept on the error;
 * the message quotes the reason, escaped). A code the protocol does not define is
 * `INTERNAL_ERROR`.
 */
export function errorForClose(code: number, reason: string, phase: AthosErrorPhase): AthosRoleplayError {
  const meaning = CLOSE_MEANINGS[code] ?? {
    error: 'INTERNAL_ERROR',
    message: 'The voice gateway closed the connection unexpectedly.',
  };
  return new AthosRoleplayError(meaning.error, `${meaning.message} (close ${code}${reason ? `: ${quoted(reason)}` : ''})`, {
    phase,
    closeCode: code,
    closeReason: reason || undefined,
  });
}
