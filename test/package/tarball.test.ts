import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { rolldown } from 'rolldown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokenRelativeLinks, isAbsolute, linkTargets, listFiles } from './markdownLinks.ts';

// The real tarball, as `npm publish` would upload it, unpacked in a folder of its own
// (`npm run build` first).
const root = resolve(import.meta.dirname, '../..');
const BUILDS = ['dist/index.mjs', 'dist/index.cjs', 'dist/athos-roleplay.iife.js', 'dist/react.mjs', 'dist/react.cjs'];

interface PackageJson {
  name: string;
  version: string;
  license?: string;
  homepage?: string;
  bugs?: { url?: string };
  repository?: { url?: string };
  dependencies?: Record<string, string>;
}

let work: string;
let tarball: string;
let unpacked: string;
let files: string[];
let manifest: PackageJson;

const read = (path: string) => readFileSync(join(unpacked, path), 'utf8');

let app: string | undefined;
/** An empty project with only the tarball installed (offline: everything it needs is in it). */
function installedApp(): string {
  if (app) return app;
  app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }));
  const npmOptions = ['--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock'];
  execFileSync('npm', ['install', tarball, ...npmOptions], { cwd: app, encoding: 'utf8' });
  return app;
}
const markdownFiles = () => files.filter((path) => path.endsWith('.md'));

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'athos-pack-'));
  const output = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
    cwd: root,
    encoding: 'utf8',
  });
  const [pack] = JSON.parse(output) as Array<{ filename: string }>;
  tarball = join(work, pack?.filename ?? '');
  execFileSync('tar', ['-xzf', tarball, '-C', work]);
  unpacked = join(work, 'package');
  files = listFiles(unpacked);
  manifest = JSON.parse(read('package.json')) as PackageJson;
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('holds the builds, the licence, the changelog and the docs the README links to, and nothing else', () => {
    for (const file of files) {
      expect(file).toMatch(/^(dist\/[\w.-]+|docs\/[\w-]+\.md|package\.json|README\.md|CHANGELOG\.md|LICENSE)$/);
    }
    expect(files).toEqual(
      expect.arrayContaining([
        ...BUILDS,
        'dist/index.d.ts',
        'dist/index.d.cts',
        'dist/react.d.ts',
        'dist/react.d.cts',
        'dist/athos-worklet.js',
        'dist/athos-worker.js',
        'dist/THIRD-PARTY-LICENSES.md',
        'LICENSE',
        'CHANGELOG.md',
        'README.md',
      ]),
    );
  });

  it('resolves every relative link of every shipped Markdown file inside the package', () => {
    expect(markdownFiles()).toEqual(expect.arrayContaining(['README.md', 'CHANGELOG.md', 'docs/errors.md', 'docs/react.md']));
    expect(brokenRelativeLinks(unpacked)).toEqual([]);
  });

  it('links to the repository only through the URL in package.json', () => {
    const repository = manifest.repository?.url?.replace(/^git\+/, '').replace(/\.git$/, '');
    expect(repository).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
    expect(manifest.homepage?.startsWith(`${repository}#`)).toBe(true);
    expect(manifest.bugs?.url).toBe(`${repository}/issues`);
    const githubLinks = markdownFiles()
      .flatMap((file) => linkTargets(read(file)))
      .filter((target) => isAbsolute(target) && target.startsWith('https://github.com/'));
    expect(githubLinks.length).toBeGreaterThan(0);
    for (const link of githubLinks) expect(link === repository || link.startsWith(`${repository}/`)).toBe(true);
  });

  it('is MIT licensed, with the licence text and a copyright holder', () => {
    expect(manifest.license).toBe('MIT');
    expect(read('LICENSE')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} Athos\n/);
  });

  it('installs nothing else: every library the builds contain is bundled, with its licence', () => {
    expect(manifest.dependencies ?? {}).toEqual({});
    const bundled = new Set<string>();
    for (const build of BUILDS) {
      const { sources } = JSON.parse(read(`${build}.map`)) as { sources: string[] };
      for (const source of sources) {
        const name = source.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//)?.[1];
        if (name) bundled.add(name);
      }
    }
    expect([...bundled]).toEqual(expect.arrayContaining(['mitt', 'p-retry']));
    const notices = read('dist/THIRD-PARTY-LICENSES.md');
    for (const name of bundled) expect(notices).toMatch(new RegExp(`^## ${name} - [\\d.]+ \\(MIT\\)\\n\\nMIT License\\n`, 'm'));
  });

  it('has a CHANGELOG section for its version', () => {
    const version = manifest.version.replaceAll('.', '\\.');
    expect(read('CHANGELOG.md')).toMatch(new RegExp(`^## \\[?${version}\\]?(\\s|$)`, 'm'));
  });

  it('installs from the tarball into an empty project, where both the ESM and the CJS build load', () => {
    const app = installedApp();
    expect(existsSync(join(app, 'node_modules/mitt'))).toBe(false);

    const probe = (args: string[]) => execFileSync('node', args, { cwd: app, encoding: 'utf8' }).trim();
    expect(
      probe([
        '--input-type=module',
        '-e',
        "const sdk = await import('@useathos/sdk'); console.log(sdk.ATHOS_ERROR_CODES.length)",
      ]),
    ).toBe('20');
    expect(probe(['-e', "console.log(require('@useathos/sdk').ATHOS_EVENT_NAMES.includes('ended'))"])).toBe('true');
    expect(probe(['-e', "try { require.resolve('mitt'); console.log('found') } catch { console.log('absent') }"])).toBe('absent');
  });

  it('gives a bundled app none of the React binding unless it imports it, and then one copy of the SDK', async () => {
    const app = installedApp();
    /** What a bundler makes of an app whose only module is `source` (React stays external, as the app's own). */
    const bundle = async (source: string) => {
      writeFileSync(join(app, 'main.js'), source);
      const build = await rolldown({ input: join(app, 'main.js'), external: ['react'], platform: 'browser', logLevel: 'silent' });
      try {
        const { output } = await build.generate({ format: 'esm' });
        return output.map((chunk) => ('code' in chunk ? chunk.code : '')).join('\n');
      } finally {
        await build.close();
      }
    };
    // Messages that survive minification mark each part: the session, the error class, the hook.
    const copies = (code: string) => ({
      session: code.split('connect() was already called on this session').length - 1,
      errorClass: code.split('"AthosRoleplayError"').length - 1,
      hook: code.split('needs a live call; call connect() first').length - 1,
      react: /from ["']react["']/.test(code),
    });
    const plain = await bundle(
      "import { create } from '@useathos/sdk';\nwindow.start = (token) => create({ token, drillKey: 'ma-full-sale' });\n",
    );
    expect(copies(plain)).toEqual({ session: 1, errorClass: expect.any(Number), hook: 0, react: false });

    const both = await bundle(
      "import { create } from '@useathos/sdk';\nimport { useRoleplaySession } from '@useathos/sdk/react';\nwindow.athos = { create, useRoleplaySession };\n",
    );
    expect(copies(both)).toEqual({ ...copies(plain), hook: 1, react: true });
  });
});
