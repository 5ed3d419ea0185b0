import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The React entry as built (`npm run build` first): it must stay apart from the main entry.
const dist = resolve(import.meta.dirname, '../../dist');
const read = (file: string) => readFileSync(resolve(dist, file), 'utf8');

/** The module specifiers a build imports or requires. */
function imported(code: string): string[] {
  const specifiers = [...code.matchAll(/(?:\bfrom\s*|\brequire\()\s*["']([^"']+)["']/g)].map((match) => match[1] as string);
  return [...new Set(specifiers)].sort();
}

describe('the React entry (@useathos/sdk/react)', () => {
  it.each(['react.mjs', 'react.cjs'])('%s imports React and the SDK by name and bundles neither', (file) => {
    const code = read(file);
    expect(imported(code)).toEqual(['@useathos/sdk', 'react']);
    expect(code).not.toMatch(/\bclass RoleplaySession\b|\bfunction useSyncExternalStore\b/);
  });

  it('its declarations import the SDK by name instead of declaring a second copy of its types', () => {
    const declarations = read('react.d.ts');
    expect(imported(declarations)).toEqual(['@useathos/sdk']);
    expect(declarations).not.toMatch(/declare class RoleplaySession\b/);
    expect(read('react.d.cts')).toBe(declarations);
  });

  it.each(['index.mjs', 'index.cjs', 'athos-roleplay.iife.js'])('the main build %s has no trace of it', (file) => {
    const code = read(file);
    expect(imported(code)).not.toContain('react');
    expect(code).not.toMatch(/useRoleplaySession/);
  });
});
