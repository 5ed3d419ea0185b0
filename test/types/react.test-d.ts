// Type tests of `@useathos/sdk/react` against the built declarations, as a consumer sees them
// (see api.test-d.ts). The hook's types come from the main entry: one RoleplaySession, one
// AthosRoleplayError.
import type {
  AthosEndReason,
  AthosPersona,
  AthosRoleplayError,
  AthosTalkMetrics,
  RoleplaySession,
  SessionState,
} from '@useathos/sdk';
import {
  type RoleplaySessionActions,
  type RoleplaySessionView,
  type UseRoleplaySessionOptions,
  type UseRoleplaySessionResult,
  useRoleplaySession,
} from '@useathos/sdk/react';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_value?: T): void {}

const options: UseRoleplaySessionOptions = {
  drillKey: 'ma-full-sale',
  difficulty: 'Beginner',
  apiBase: 'http://127.0.0.1:8787',
  autoConnect: true,
  token: async ({ signal }) => {
    assertType<Equal<typeof signal, AbortSignal>>();
    return 'ast_minted';
  },
};
// Inside a hook, as the rules of hooks require.
export function useCallTypes(): void {
  const call = useRoleplaySession(options);
  assertType<Equal<typeof call, UseRoleplaySessionResult>>();
  assertType<Equal<UseRoleplaySessionResult, RoleplaySessionView & RoleplaySessionActions>>();

  assertType<Equal<typeof call.state, SessionState>>();
  assertType<Equal<typeof call.persona, AthosPersona | undefined>>();
  assertType<Equal<typeof call.callId, string | undefined>>();
  assertType<Equal<typeof call.muted, boolean>>();
  assertType<Equal<typeof call.userSpeaking, boolean>>();
  assertType<Equal<typeof call.personaSpeaking, boolean>>();
  assertType<Equal<typeof call.error, AthosRoleplayError | undefined>>();
  assertType<Equal<typeof call.session, RoleplaySession | undefined>>();
  if (call.ended) {
    assertType<Equal<typeof call.ended.reason, AthosEndReason>>();
    assertType<Equal<typeof call.ended.metrics, AthosTalkMetrics>>();
  }
  assertType<Equal<typeof call.connect, () => Promise<void>>>();
  assertType<Equal<typeof call.disconnect, () => Promise<void>>>();
  assertType<Equal<typeof call.mute, () => Promise<void>>>();
  assertType<Equal<typeof call.unmute, () => Promise<void>>>();
  assertType<Equal<typeof call.resumeAudio, () => Promise<void>>>();
  assertType<Equal<typeof call.getInputLevel, () => number>>();
  assertType<Equal<typeof call.getOutputLevel, () => number>>();
  // The session the hook hands out is the main entry's class, so everything it does not wrap is there.
  call.session?.setVolume(0.5);

  // @ts-expect-error a string token serves one call only: the hook needs a function
  useRoleplaySession({ drillKey: 'ma-full-sale', token: 'ast_minted' });
  // @ts-expect-error drillKey is required
  useRoleplaySession({ token: async () => 'ast_minted' });
  // @ts-expect-error the view is read-only: state comes from the session
  call.state = 'connected';
}
