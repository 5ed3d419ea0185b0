/**
 * The QA panel: breaks calls on purpose through the local server's fault controls, and starts
 * calls with bad input. After every action the fault status line is read again.
 */
import { startCall } from './call.ts';
import { element } from './dom.ts';
import { callFault, refreshFaultStatus } from './faults.ts';
import { note, onClick } from './log.ts';
import type { DemoState } from './state.ts';

function numberOf(id: string): number {
  return Number(element<HTMLInputElement>(id).value) || 1;
}

/** Wires every QA control. */
export function wireQaPanel(state: DemoState): void {
  const action = (id: string, run: () => unknown) =>
    onClick(id, async () => {
      try {
        await run();
      } finally {
        await refreshFaultStatus(state);
      }
    });

  action('qa-drop', () => callFault(state, 'drop'));
  action('qa-end-call', () => callFault(state, 'end-call'));
  action('qa-stall', () => callFault(state, 'stall', { seconds: numberOf('qa-stall-seconds') }));
  action('qa-refuse', () => callFault(state, 'refuse-reconnects', { seconds: numberOf('qa-refuse-seconds') }));
  action('qa-redeem', () => {
    const choice = element<HTMLSelectElement>('qa-redeem-code').value;
    const times = numberOf('qa-redeem-times');
    return callFault(
      state,
      'next-redemption',
      choice === '429' ? { status: 429, retryAfterSec: 1, times } : { code: choice, times },
    );
  });
  action('qa-tenant', () => callFault(state, 'tenant', { state: element<HTMLSelectElement>('qa-tenant-state').value }));
  action('qa-reset', () => {
    // Every control back to what the page loaded with, as the server's faults are.
    element<HTMLFormElement>('qa-controls').reset();
    return callFault(state, 'reset');
  });
  action('qa-connect-twice', () =>
    state.call?.session?.connect().catch((error: unknown) => note('second connect() rejected', error)),
  );
  action('qa-reuse-token', () => startCall(state, { token: state.lastToken }));
  action('qa-malformed-token', () => startCall(state, { token: 'ast_this-is-not-a-real-token' }));
  action('qa-blank-drill', () => startCall(state, { drillKey: '' }));
  action('qa-unknown-drill', () => startCall(state, { drillKey: 'zz-no-such-drill' }));
  action('qa-expired-token', async () => {
    // The local server cannot expire one token on demand, so its redemption fault stands in.
    note('The server answers the next redemption with TOKEN_EXPIRED (injected)');
    await callFault(state, 'next-redemption', { code: 'TOKEN_EXPIRED' });
    await startCall(state);
  });
}
