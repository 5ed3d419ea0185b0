import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { brokenRelativeLinks, headingAnchors, linkTargets } from './markdownLinks.ts';

describe('linkTargets', () => {
  it('finds inline links, images, reference definitions and HTML links, but not links in code', () => {
    const markdown = [
      'See [the guide](docs/guide.md#setup "Guide") and ![logo](img/logo.png).',
      '[ref]: ./LICENSE',
      '<a href="CHANGELOG.md">changes</a>',
      '`[not](in-inline-code.md)`',
      '```md',
      '[not](in-a-fence.md)',
      '```',
    ].join('\n');
    expect(linkTargets(markdown)).toEqual(['docs/guide.md#setup', 'img/logo.png', './LICENSE', 'CHANGELOG.md']);
  });
});

describe('headingAnchors', () => {
  it('gives the anchors GitHub gives, numbering repeats', () => {
    expect([...headingAnchors('## `create(options)`\n# Handling errors\n### Handling errors\n')]).toEqual([
      'createoptions',
      'handling-errors',
      'handling-errors-1',
    ]);
  });
});

describe('brokenRelativeLinks', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reports links to missing files, missing headings and files outside the folder, and nothing else', () => {
    dir = mkdtempSync(join(tmpdir(), 'athos-links-'));
    mkdirSync(join(dir, 'docs'));
    writeFileSync(join(dir, 'docs/api.md'), '# API\n## `create(options)`\n[back](../README.md) [self](#api)\n');
    writeFileSync(
      join(dir, 'README.md'),
      [
        '[ok](docs/api.md#createoptions) [web](https://example.com/x.md) [top](#readme)',
        '# Readme',
        '[gone](docs/missing.md) [heading](docs/api.md#nope) [out](../elsewhere/README.md) [dir](docs)',
      ].join('\n'),
    );
    expect(brokenRelativeLinks(dir)).toEqual([
      'README.md: docs/missing.md (no such file)',
      'README.md: docs/api.md#nope (no such heading)',
      'README.md: ../elsewhere/README.md (outside the package)',
      'README.md: docs (no such file)',
    ]);
  });
});
