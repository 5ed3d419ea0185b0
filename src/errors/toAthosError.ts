import { AthosRoleplayError, type AthosErrorPhase } from './AthosRoleplayError.ts';

/** Keeps an `AthosRoleplayError` as it is; wraps anything else as `INTERNAL_ERROR`. */
export function toAthosError(error: unknown, phase: AthosErrorPhase): AthosRoleplayError {
  if (AthosRoleplayError.is(error)) return error;
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new AthosRoleplayError('INTERNAL_ERROR', `Unexpected failure (${detail}).`, { phase, cause: error });
}
