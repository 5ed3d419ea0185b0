/**
 * The test tone of "Check my setup": one second of 440 Hz, played the way the SDK plays the
 * persona (Web Audio into an `<audio>` element), on the chosen speaker.
 */

const TONE_MS = 1_000;

/** Plays the tone on `speakerId` (`''`: the default output); resolves when it is over. */
export async function playTone(speakerId: string): Promise<void> {
  const context = new AudioContext();
  const element = new Audio();
  try {
    const oscillator = context.createOscillator();
    oscillator.frequency.value = 440;
    const gain = context.createGain();
    // Fades of 20 ms at both ends, so the tone does not click.
    const now = context.currentTime;
    gain.gain.setValueAtTime(0, now);
    gain.gain.linearRampToValueAtTime(0.3, now + 0.02);
    gain.gain.setValueAtTime(0.3, now + TONE_MS / 1000 - 0.02);
    gain.gain.linearRampToValueAtTime(0, now + TONE_MS / 1000);
    const destination = context.createMediaStreamDestination();
    oscillator.connect(gain).connect(destination);
    element.srcObject = destination.stream;
    if (speakerId !== '') await element.setSinkId(speakerId);
    oscillator.start(now);
    oscillator.stop(now + TONE_MS / 1000);
    await Promise.all([context.resume(), element.play()]);
    await new Promise((ended) => oscillator.addEventListener('ended', ended, { once: true }));
  } finally {
    element.pause();
    element.srcObject = null;
    await context.close();
  }
}
