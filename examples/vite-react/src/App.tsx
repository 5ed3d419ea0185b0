import { useState } from 'react';
import { CallScreen } from './CallScreen.tsx';

/** A practice page: the call screen is mounted while the rep practises, and unmounted when they leave. */
export function App() {
  const [practising, setPractising] = useState(false);
  return (
    <main>
      <h1>Sales practice</h1>
      {practising ? (
        <CallScreen onLeave={() => setPractising(false)} />
      ) : (
        <button type="button" onClick={() => setPractising(true)}>
          Start practice
        </button>
      )}
    </main>
  );
}
