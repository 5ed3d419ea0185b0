/**
 * The local server's fault controls (`/__faults`, on when the server runs with ATHOS_FAULTS=1),
 * reached through the demo's backend, which holds the fault secret, and the QA panel's status
 * line that says what they are set to.
 */
import { element } from './dom.ts';
import { clock, note } from './log.ts';
import type { DemoState } from './state.ts';

const statusLine = element('fault-status');

/** What `GET /__faults` answers. */
interface FaultSnapshot {
  tenant: string;
  stalledUntil: string | null;
  refusingReconnectsUntil: string | null;
  nextRedemption: { status: number; code: string; remaining: number } | null;
}

/** Calls one fault control, e.g. `callFault(state, 'stall', { seconds: 5 })`, and logs the answer. */
export async function callFault(state: DemoState, name: string, body: Record<string, unknown> = {}): Promise<void> {
  if (!state.config) return;
  const response = await fetch(`/demo-api/faults/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  note(`QA ${name} ${JSON.stringify(body)} → HTTP ${response.status}`, await response.json());
}

/**
 * Shows what the faults are set to now, and refreshes again when the soonest timed one runs
 * out. Never rejects: when the server does not answer, the line says so.
 */
export async function refreshFaultStatus(state: DemoState): Promise<void> {
  if (!state.config?.faults) return;
  let snapshot: FaultSnapshot;
  try {
    snapshot = await (await fetch('/demo-api/faults')).json();
  } catch (error) {
    statusLine.textContent = `Server faults: unknown (GET /__faults failed: ${error instanceof Error ? error.message : error})`;
    return;
  }
  // Cleared only now: of two refreshes in flight, the later one keeps the timer.
  clearTimeout(state.faultExpiryTimer);
  const parts = [`tenant ${snapshot.tenant}`];
  if (snapshot.stalledUntil) parts.push(`stalled until ${clock(new Date(snapshot.stalledUntil))}`);
  if (snapshot.refusingReconnectsUntil)
    parts.push(`reconnects refused until ${clock(new Date(snapshot.refusingReconnectsUntil))}`);
  const next = snapshot.nextRedemption;
  if (next) parts.push(`next redemption fails with ${next.status} ${next.code} (×${next.remaining})`);
  statusLine.textContent = `Server faults: ${parts.join(' · ')}`;

  const expiries = [snapshot.stalledUntil, snapshot.refusingReconnectsUntil].filter((until) => until !== null);
  if (expiries.length === 0) return;
  const soonest = Math.min(...expiries.map((until) => Date.parse(until)));
  state.faultExpiryTimer = setTimeout(() => void refreshFaultStatus(state), Math.max(0, soonest - Date.now()) + 100);
}
