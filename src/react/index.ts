/**
 * `@useathos/sdk/react`: the React binding of the Athos roleplay SDK.
 * @module
 */
export type {
  RoleplaySessionActions,
  RoleplaySessionView,
  UseRoleplaySessionOptions,
  UseRoleplaySessionResult,
} from './types.ts';
export { useRoleplaySession } from './useRoleplaySession.ts';
