import { redactSecrets } from '../utils/logger.ts';
import { type AthosErrorPhase, AthosRoleplayError } from './AthosRoleplayError.ts';

/**
 * Keeps an `AthosRoleplayError` as it is; wraps anything else as `INTERNAL_ERROR`, with every
 * secret removed from the message and the cause.
 */
export function toAthosError(error: unknown, phase: AthosErrorPhase, secrets: readonly string[]): AthosRoleplayError {
  if (AthosRoleplayError.is(error)) return error;
  const raw = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const detail = redactSecrets(raw, secrets);
  let cause = error;
  if (detail !== raw) {
    cause = new Error(redactSecrets(error instanceof Error ? error.message : String(error), secrets));
    if (error instanceof Error) (cause as Error).name = error.name;
  }
  return new AthosRoleplayError('INTERNAL_ERROR', `Unexpected failure (${detail}).`, { phase, cause });
}
