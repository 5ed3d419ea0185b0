/**
 * A private PulseAudio sound server for Firefox. This machine has no sound card, and without one
 * Firefox never starts an AudioContext. The server has two virtual devices and nothing else:
 *
 * - `speakers`, a null sink: the default output, which plays into nothing;
 * - `rep_voice`, a null sink into which a `paplay` loop plays the rep's sentence (the same WAV
 *   Chromium's fake microphone loops);
 * - `microphone`, the default input: what `rep_voice` plays, so Firefox's microphone hears a
 *   rep who speaks and pauses, as Chromium's does. With `echo` it hears `speakers` instead,
 *   as a laptop's microphone hears its speakers (bench/echo.mjs). It is a remapped source,
 *   not a monitor, because Chromium lists no monitor as a microphone.
 *
 * The server listens only on a Unix socket in a folder of its own and takes no configuration
 * from the machine (`-n`), so runs of other users and other worktrees do not meet.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** How long the server may take to answer before the run gives up. */
const START_TIMEOUT_MS = 10_000;

/**
 * Starts the server and the rep's voice; resolves once the server answers.
 *
 * @param {string} voiceWav - absolute path of the WAV the `rep_voice` device loops
 * @param {{ echo?: boolean }} [options] - `echo`: the default input hears the default output
 * @returns {Promise<{ server: string, runtimeDir: string, stop: () => Promise<void> }>} `server`
 *   is the value for `PULSE_SERVER` (Firefox), `runtimeDir` for `XDG_RUNTIME_DIR` (Chromium);
 *   `stop()` ends both processes and removes the folder.
 */
export async function startPulseAudio(voiceWav, { echo = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'athos-pulse-'));
  // The standard place under XDG_RUNTIME_DIR: Chromium's audio service looks there and
  // ignores PULSE_SERVER.
  const socket = join(dir, 'pulse', 'native');
  const server = `unix:${socket}`;
  const config = join(dir, 'default.pa');
  writeFileSync(
    config,
    [
      `load-module module-native-protocol-unix auth-anonymous=1 socket=${socket}`,
      'load-module module-null-sink sink_name=speakers sink_properties=device.description=Speakers',
      'load-module module-null-sink sink_name=rep_voice rate=16000 channels=1 sink_properties=device.description=Rep-voice',
      'set-default-sink speakers',
      `load-module module-remap-source source_name=microphone master=${echo ? 'speakers' : 'rep_voice'}.monitor source_properties=device.description=Microphone`,
      'set-default-source microphone',
      '',
    ].join('\n'),
  );
  // HOME and XDG_* point into the folder: PulseAudio writes its cookie and state there.
  const env = { ...process.env, HOME: dir, XDG_RUNTIME_DIR: dir, XDG_CONFIG_HOME: dir, PULSE_SERVER: server };
  const daemon = spawn(
    'pulseaudio',
    [
      '-n',
      '-F',
      config,
      '--daemonize=no',
      '--exit-idle-time=-1',
      '--use-pid-file=no',
      '--log-target=stderr',
      '--log-level=error',
    ],
    { env, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const exited = new Promise((resolve) => daemon.once('exit', resolve));
  /** @type {import('node:child_process').ChildProcess | undefined} */
  let voice;
  const stop = async () => {
    // The voice loop is a process group of its own: the shell and its current paplay.
    if (voice?.exitCode === null) process.kill(-(/** @type {number} */ (voice.pid)), 'SIGTERM');
    if (daemon.exitCode === null) daemon.kill('SIGTERM');
    await Promise.race([exited, sleep(5_000)]);
    rmSync(dir, { recursive: true, force: true });
  };

  const until = Date.now() + START_TIMEOUT_MS;
  while (spawnSync('pactl', ['info'], { env, stdio: 'ignore' }).status !== 0) {
    if (Date.now() > until || daemon.exitCode !== null) {
      await stop();
      throw new Error(`PulseAudio did not start within ${START_TIMEOUT_MS / 1000} s.`);
    }
    await sleep(100);
  }
  // The loop also ends by itself if the server goes away (paplay then fails).
  voice = spawn('sh', ['-c', 'while paplay --device=rep_voice "$0"; do :; done', voiceWav], {
    env,
    stdio: 'ignore',
    detached: true,
  });
  return { server, runtimeDir: dir, stop };
}
