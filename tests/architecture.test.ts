// The rooms of docs/architecture.md, checked: who may import what, and what the start-up bundle
// must not contain.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

const files = sources(join(ROOT, 'src')).map((path) => ({
  path: relative(ROOT, path),
  text: readFileSync(path, 'utf8'),
}));

/** The room of a source path: its folder under src/, or the file's own name for a top-level file. */
function roomOf(path: string): string {
  const parts = relative(join(ROOT, 'src'), path).split(/[\\/]/);
  return parts.length > 1 ? parts[0]! : parts[0]!.replace(/\.(js|tsx?)$/, '');
}

/** Every relative import and re-export of every source file (types too), as (file, target) rooms. */
function importEdges(): Array<{ file: string; from: string; to: string; spec: string }> {
  const edges = [];
  // `import … from '…'`, `import '…'`, `export … from '…'`, over several lines too.
  const statement = /^\s*(?:import|export)\b[^;]*?\sfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm;
  for (const { path, text } of files) {
    for (const m of text.matchAll(statement)) {
      const spec = m[1] ?? m[2]!;
      if (!spec.startsWith('.')) continue; // a package: the tests above say who may use which
      const target = resolve(dirname(join(ROOT, path)), spec);
      edges.push({ file: path, from: roomOf(join(ROOT, path)), to: roomOf(target), spec });
    }
  }
  return edges;
}

/** The rooms of docs/architecture.md and what each may import (its own room always). */
const MAY_IMPORT: Record<string, string[] | 'anything'> = {
  main: 'anything',
  argv: ['commands', 'core'],
  cli: ['commands', 'core'],
  bundles: [],
  commands: ['core', 'format', 'store', 'output', 'git', 'bundles'],
  core: [],
  format: ['core'],
  store: ['core', 'format'],
  git: ['core', 'bundles'],
  output: ['core'],
  ui: ['core', 'format', 'store', 'git', 'output', 'commands', 'bundles'],
  web: ['core', 'output', 'ui'],
};

/** Imports the table does not allow, each with why it is right. */
const EXCEPTIONS: Array<{ file: string; to: string; why: string }> = [
  {
    file: 'src/commands/board.ts',
    to: 'ui',
    why: 'without a terminal the board is printed as text by ui/plain.ts, in the main bundle',
  },
  {
    file: 'src/commands/serve.ts',
    to: 'web',
    why: "checking --host (web/guard.ts) before the server's bundle is loaded",
  },
  { file: 'src/commands/serve-source.ts', to: 'web', why: 'types only: the source the web bundle reads from' },
];

describe('architecture', () => {
  it('every import follows the rooms of docs/architecture.md (the exceptions are listed above, with reasons)', () => {
    const edges = importEdges();
    expect(edges.length).toBeGreaterThan(300); // the parser sees the imports
    const wrong = edges.filter(({ file, from, to }) => {
      const allowed = MAY_IMPORT[from];
      expect({ file, room: from, known: allowed !== undefined }).toEqual({ file, room: from, known: true });
      if (from === to || allowed === 'anything' || allowed!.includes(to)) return false;
      return !EXCEPTIONS.some((e) => e.file === file && e.to === to);
    });
    expect(wrong.map(({ file, spec }) => `${file} imports ${spec}`)).toEqual([]);
  });

  it('the layering: git and output import no store, core nothing outside core, format no store or git', () => {
    const edges = importEdges();
    const bad = (from: string, to: string[]) =>
      edges.filter((e) => e.from === from && to.includes(e.to)).map((e) => `${e.file} imports ${e.spec}`);
    expect(bad('git', ['store'])).toEqual([]);
    expect(bad('output', ['store'])).toEqual([]);
    expect(bad('core', ['store', 'git', 'output', 'commands', 'format', 'ui', 'web', 'bundles'])).toEqual([]);
    expect(bad('format', ['store', 'git'])).toEqual([]);
  });

  it('every exception is still needed', () => {
    const edges = importEdges();
    for (const e of EXCEPTIONS)
      expect({ ...e, used: edges.some((x) => x.file === e.file && x.to === e.to) }).toEqual({ ...e, used: true });
  });

  it('only src/git/ uses simple-git, and only src/format/ uses gray-matter and js-yaml', () => {
    for (const { path, text } of files) {
      if (/['"]simple-git['"]/.test(text)) expect(path).toMatch(/^src\/git\//);
      if (/from ['"](gray-matter|js-yaml)['"]/.test(text)) expect(path).toMatch(/^src\/format\//);
    }
  });

  it('src/core/ touches no file system, git or clock', () => {
    for (const { path, text } of files.filter((f) => f.path.startsWith('src/core/'))) {
      expect({ path, fs: /from 'node:(fs|child_process)'/.test(text) }).toEqual({ path, fs: false });
      expect({ path, clock: /new Date\(\)|Date\.now\(\)/.test(text) && !path.endsWith('time.ts') }).toEqual({
        path,
        clock: false,
      });
    }
  });

  it('dynamic imports go through src/bundles.ts (main.js runs under node:vm, without import())', () => {
    for (const { path, text } of files) {
      const dynamic = text.split('\n').filter((l) => /\bimport\(/.test(l) && !/typeof import\(/.test(l));
      if (path !== 'src/bundles.ts') expect({ path, dynamic }).toEqual({ path, dynamic: [] });
    }
  });

  it('the start-up bundle holds neither yargs nor ink nor react', () => {
    const main = readFileSync(join(ROOT, 'dist', 'main.js'), 'utf8');
    expect(main).not.toMatch(/yargs-parser|recommendCommands/);
    expect(main).not.toMatch(/react-reconciler|useInput/);
  });
});
