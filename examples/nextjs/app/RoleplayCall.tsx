'use client';

// Importing the SDK is safe during server rendering: it touches no browser API until a call starts,
// and the hook starts calls only in the browser (here from a click).
import type { AthosTokenFunction } from '@useathos/sdk';
import { useRoleplaySession } from '@useathos/sdk/react';

/** The route handler in app/api/athos-token mints the token with the API key, on the server. */
const mintToken: AthosTokenFunction = async ({ signal }) => {
  const response = await fetch('/api/athos-token', { method: 'POST', signal });
  if (!response.ok) throw new Error(`The token route answered ${response.status}.`);
  return ((await response.json()) as { token: string }).token;
};

export function RoleplayCall({ drillKey }: { drillKey: string }) {
  const call = useRoleplaySession({
    drillKey,
    token: mintToken,
    // Empty or unset in production: the SDK then talks to https://app.useathos.ai.
    apiBase: process.env.NEXT_PUBLIC_ATHOS_API_BASE || undefined,
  });
  const inCall = call.state === 'connecting' || call.state === 'connected' || call.state === 'reconnecting';

  return (
    <section aria-label="Call">
      <p>
        Call: <output aria-label="Call state">{call.state}</output>
        {call.persona && <> with {call.persona.name}</>}
      </p>
      {inCall ? (
        <button type="button" onClick={() => void call.disconnect()}>
          Hang up
        </button>
      ) : (
        <button type="button" onClick={() => void call.connect()}>
          Start the call
        </button>
      )}
      {call.error && (
        <p role="alert">
          {call.error.code}: {call.error.message}
        </p>
      )}
      {call.ended && (
        <p>
          Call {call.ended.callId} ended ({call.ended.reason}) after {call.ended.durationSec} s.
        </p>
      )}
    </section>
  );
}
