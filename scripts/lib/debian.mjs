/**
 * Installs Debian packages the tests need when a program is missing. A fresh machine (CI
 * included) has none of the browsers, and browser downloads are not possible here, so they come
 * from the distribution.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Installs `packages` with apt-get unless every path in `programs` exists already; exits the
 * process if that fails.
 *
 * @param {string} what - what is missing, for the messages
 * @param {string[]} programs - absolute paths that must exist afterwards
 * @param {string[]} packages - the Debian packages that provide them
 * @param {{ recommends?: boolean }} [options] - whether to install recommended packages too
 */
export function ensureDebianPackages(what, programs, packages, { recommends = true } = {}) {
  if (programs.every((program) => existsSync(program))) return;
  console.log(`${what} is missing; installing Debian's ${packages.join(', ')}…`);
  const asRoot = process.getuid?.() === 0 ? [] : ['sudo'];
  const aptGet = (/** @type {string[]} */ ...args) => {
    const [command = 'apt-get', ...rest] = [...asRoot, 'apt-get', ...args];
    return spawnSync(command, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status;
  };
  const installed =
    aptGet('update', '-qq') === 0 &&
    aptGet('install', '-y', '-qq', ...(recommends ? [] : ['--no-install-recommends']), ...packages) === 0 &&
    programs.every((program) => existsSync(program));
  if (!installed) {
    console.error(`Could not install ${what} (apt-get install ${packages.join(' ')}).`);
    process.exit(1);
  }
}
