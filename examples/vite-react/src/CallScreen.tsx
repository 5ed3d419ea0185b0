import type { AthosTokenFunction } from '@useathos/sdk';
import { useRoleplaySession } from '@useathos/sdk/react';
import { LevelMeter } from './LevelMeter.tsx';

/** Asks this app's backend for a session token; `signal` cancels it when the call is abandoned. */
const mintToken: AthosTokenFunction = async ({ signal }) => {
  const response = await fetch('/api/athos-token', { method: 'POST', signal });
  if (!response.ok) throw new Error(`The token route answered ${response.status}.`);
  const { token } = (await response.json()) as { token: string };
  return token;
};

/** The live call: it starts when this screen mounts and ends when it unmounts. */
export function CallScreen({ onLeave }: { onLeave: () => void }) {
  const call = useRoleplaySession({
    drillKey: 'ma-full-sale',
    token: mintToken,
    // Empty or unset in production: the SDK then talks to https://app.useathos.ai.
    apiBase: import.meta.env.VITE_ATHOS_API_BASE || undefined,
    autoConnect: true,
  });
  const live = call.state === 'connected' || call.state === 'reconnecting';

  return (
    <section className="call" aria-label="Call">
      <p>
        Call: <output aria-label="Call state">{call.state}</output>
        {call.persona && <> with {call.persona.name}</>}
      </p>
      {live && (
        <>
          <p>
            {call.personaSpeaking ? `${call.persona?.name} is speaking` : 'The persona is listening'}
            {call.userSpeaking && ' · you are speaking'}
          </p>
          <LevelMeter label="You" read={call.getInputLevel} />
          <LevelMeter label="Persona" read={call.getOutputLevel} />
          <button type="button" onClick={() => void (call.muted ? call.unmute() : call.mute())}>
            {call.muted ? 'Unmute' : 'Mute'}
          </button>
          <button type="button" onClick={() => void call.disconnect()}>
            Hang up
          </button>
        </>
      )}
      {call.error && (
        <div role="alert">
          <strong>{call.error.code}</strong>: {call.error.message}
          {call.error.code === 'AUDIO_PLAYBACK_BLOCKED' && (
            <button type="button" onClick={() => void call.resumeAudio()}>
              Enable audio
            </button>
          )}
        </div>
      )}
      {call.ended && (
        <p>
          The call ended ({call.ended.reason}) after {call.ended.durationSec} s; you spoke{' '}
          {Math.round(call.ended.metrics.talkRatio * 100)}% of the time.
        </p>
      )}
      {call.state === 'ended' && (
        <button type="button" onClick={() => void call.connect()}>
          Call again
        </button>
      )}
      <button type="button" onClick={onLeave}>
        Leave
      </button>
    </section>
  );
}
