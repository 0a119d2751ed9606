// The rooms of docs/architecture.md, checked: who may import what, and what the start-up bundle
// must not contain.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

const files = sources(join(ROOT, 'src')).map((path) => ({ path: relative(ROOT, path), text: readFileSync(path, 'utf8') }));

describe('architecture', () => {
  it('only src/git/ uses simple-git, and only src/format/ uses gray-matter and js-yaml', () => {
    for (const { path, text } of files) {
      if (/['"]simple-git['"]/.test(text)) expect(path).toMatch(/^src\/git\//);
      if (/from ['"](gray-matter|js-yaml)['"]/.test(text)) expect(path).toMatch(/^src\/format\//);
    }
  });

  it('src/core/ touches no file system, git or clock', () => {
    for (const { path, text } of files.filter((f) => f.path.startsWith('src/core/'))) {
      expect({ path, fs: /from 'node:(fs|child_process)'/.test(text) }).toEqual({ path, fs: false });
      expect({ path, clock: /new Date\(\)|Date\.now\(\)/.test(text) && !path.endsWith('time.ts') }).toEqual({ path, clock: false });
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
