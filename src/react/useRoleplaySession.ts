import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { CallController, IDLE_VIEW } from './CallController.ts';
import type { UseRoleplaySessionOptions, UseRoleplaySessionResult } from './types.ts';

/** During server rendering and hydration there is no call yet. */
const getServerView = () => IDLE_VIEW;

/**
 * A roleplay call for a React component: its state to render and the actions on it.
 *
 * Each `connect()` starts a new session with a new token from `options.token`. The call ends
 * when the component unmounts, a start in progress (minting included) is cancelled, and
 * `StrictMode`'s double mount never starts, mints or ends anything twice. Safe to render on the
 * server: nothing happens there until the component mounts in the browser.
 *
 * @example
 * ```tsx
 * function Call() {
 *   const call = useRoleplaySession({
 *     drillKey: 'ma-full-sale',
 *     token: ({ signal }) =>
 *       fetch('/api/athos-token', { method: 'POST', signal }).then((r) => r.json()).then((body) => body.token),
 *   });
 *   if (call.state === 'idle' || call.state === 'ended') return <button onClick={call.connect}>Start</button>;
 *   return <button onClick={call.disconnect}>Hang up on {call.persona?.name}</button>;
 * }
 * ```
 */
export function useRoleplaySession(options: UseRoleplaySessionOptions): UseRoleplaySessionResult {
  const [controller] = useState(() => new CallController(options));
  useEffect(() => {
    controller.setOptions(options);
  });
  useEffect(() => {
    controller.mount();
    return () => controller.unmount();
  }, [controller]);
  const view = useSyncExternalStore(controller.subscribe, controller.getView, getServerView);
  return useMemo(
    () => ({
      ...view,
      connect: controller.connect,
      disconnect: controller.disconnect,
      mute: controller.mute,
      unmute: controller.unmute,
      resumeAudio: controller.resumeAudio,
      getInputLevel: controller.getInputLevel,
      getOutputLevel: controller.getOutputLevel,
    }),
    [view, controller],
  );
}
