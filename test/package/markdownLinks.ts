import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** Every file under `dir`, as `/`-separated paths relative to it, sorted. */
export function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => statSync(join(dir, path)).isFile())
    .map((path) => path.split(sep).join('/'))
    .sort();
}

/** The link targets of a Markdown text: inline links and images, reference definitions, HTML `href`/`src`. Code is skipped. */
export function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
  const patterns = [
    /\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g,
    /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm,
    /\b(?:href|src)="([^"]+)"/g,
  ];
  return patterns.flatMap((pattern) => [...prose.matchAll(pattern)].map((match) => match[1] as string));
}

/** Whether a link target leaves the document set: a scheme (`https:`, `mailto:`) or protocol-relative. */
export function isAbsolute(target: string): boolean {
  return /^[a-z][a-z\d+.-]*:/i.test(target) || target.startsWith('//');
}

/** The anchors GitHub (and npm) give the headings of a Markdown text. */
export function headingAnchors(markdown: string): Set<string> {
  const prose = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  const anchors = new Set<string>();
  for (const [, heading] of prose.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = (heading as string)
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    let anchor = base;
    for (let n = 1; anchors.has(anchor); n += 1) anchor = `${base}-${n}`;
    anchors.add(anchor);
  }
  return anchors;
}

/**
 * Every relative link in the Markdown files under `dir` that does not resolve to a file inside
 * `dir` (or to a heading of it, when the link has a `#fragment`), as `file: target (why)`.
 */
export function brokenRelativeLinks(dir: string): string[] {
  const root = resolve(dir);
  const broken: string[] = [];
  for (const file of listFiles(root).filter((path) => path.endsWith('.md'))) {
    const source = join(root, file);
    for (const target of linkTargets(readFileSync(source, 'utf8'))) {
      if (isAbsolute(target)) continue;
      const [path = '', fragment] = target.split('#');
      const resolved = path === '' ? source : resolve(dirname(source), decodeURIComponent(path));
      const inside = relative(root, resolved);
      if (inside.startsWith('..') || resolve(root, inside) !== resolved) {
        broken.push(`${file}: ${target} (outside the package)`);
      } else if (!existsSync(resolved) || !statSync(resolved).isFile()) {
        broken.push(`${file}: ${target} (no such file)`);
      } else if (fragment && !headingAnchors(readFileSync(resolved, 'utf8')).has(fragment)) {
        broken.push(`${file}: ${target} (no such heading)`);
      }
    }
  }
  return broken;
}
