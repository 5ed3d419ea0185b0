/**
 * Runs the benchmarks inside a private network namespace, like the end-to-end tests
 * (scripts/e2e.mjs): the SDK opens RTCPeerConnections, and no ICE candidate may point at a
 * real interface. Every benchmark's traffic stays inside the namespace by construction.
 *
 * Besides loopback, the namespace has a veth pair with both ends inside it, which leads
 * nowhere. With only loopback, Chromium considers itself offline (navigator.onLine is false
 * and `online` never fires); with the pair up it is online, as a rep's browser is, and
 * `context.setOffline(false)` fires `online`. The link-loss benchmark measures both.
 */
import { spawnSync } from 'node:child_process';

const LINK = 'athos-bench0';

/** Re-runs this very command inside the namespace and exits with its status; returns inside it. */
export function enterPrivateNetwork() {
  if (process.env.ATHOS_BENCH_NETNS === '1') return;
  const command = [process.execPath, ...process.argv.slice(1)].map((arg) => `'${arg.replaceAll("'", "'\\''")}'`).join(' ');
  const setup = [
    'ip link set lo up',
    `ip link add ${LINK} type veth peer name ${LINK}p`,
    `ip address add 10.253.0.1/24 dev ${LINK}`,
    `ip link set ${LINK}p up`,
    `ip link set ${LINK} up`,
  ].join(' && ');
  const unshare = process.getuid?.() === 0 ? '-n' : '-rn';
  const result = spawnSync('unshare', [unshare, 'sh', '-c', `${setup} && ATHOS_BENCH_NETNS=1 exec ${command}`], {
    stdio: 'inherit',
  });
  process.exit(result.status ?? 1);
}

/**
 * Takes the namespace's veth link up (the browser is online) or down (only loopback is left).
 * @param {boolean} up
 */
export function setLinkUp(up) {
  const result = spawnSync('ip', ['link', 'set', LINK, up ? 'up' : 'down'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ip link set ${LINK}: ${result.stderr.trim()} (run through bench/run.mjs)`);
}
