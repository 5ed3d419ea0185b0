/** `ip` (iproute2) in this process's network namespace. */
import { spawnSync } from 'node:child_process';

/** Runs `ip ARGS…`; throws with its message when it fails. */
export function ip(/** @type {string[]} */ ...args) {
  const result = spawnSync('ip', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ip ${args.join(' ')}: ${result.stderr.trim()}`);
}
