// Start-up loads only what the command needs: dist/main.js for the task commands; simple-git only
// when git is used; yargs (dist/cli.mjs) only for help and usage errors; ink only for the board.
// A preload script records every CommonJS module and every import() that goes through bin's loader.

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HZL, baseEnv, hzl, tempDir, tempRepo } from './helpers.js';

const PRELOAD = `
const Module = require('node:module');
const fs = require('node:fs');
const seen = new Set();
const load = Module._load;
Module._load = function (request, parent, isMain) {
  const id = load.apply(this, arguments);
  try { seen.add(Module._resolveFilename(request, parent, isMain)); } catch { seen.add(request); }
  return id;
};
process.on('exit', () => {
  // Node's own modules, however loaded (require or process.getBuiltinModule): 'NativeModule x'.
  for (const m of process.moduleLoadList) if (m.startsWith('NativeModule ')) seen.add('node:' + m.slice(13));
  fs.writeFileSync(process.env.HZL_TRACE_FILE, [...seen].join('\\n'));
});
`;

function loaded(repo: string, args: string[], env: NodeJS.ProcessEnv = {}): string[] {
  const dir = tempDir();
  const preload = join(dir, 'preload.cjs');
  const trace = join(dir, 'trace.txt');
  writeFileSync(preload, PRELOAD);
  const r = spawnSync(process.execPath, ['--require', preload, HZL, ...args], {
    cwd: repo,
    env: baseEnv({ HZL_AUTHOR: 'a', HZL_TRACE_FILE: trace, ...env }),
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(trace, 'utf8').split('\n');
}

// files, not Node's
const modulesOf = (mods: string[]) => mods.filter((m) => m.includes('/') && !m.startsWith('node:'));

// bin/hzl.js runs dist/main.js through node:vm, so a task command loads no other file at all.
const files = (mods: string[]) => mods.map((m) => m.replace(/^.*\/(bin\/hzl\.js)$/, '$1'));

describe('start-up', () => {
  it('task show, checkpoint, claim and list load no module from node_modules', () => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'A'], { env: { HZL_AUTHOR: 'a' } });
    for (const args of [
      ['task', 'show', '1'],
      ['task', 'checkpoint', '1', 'x'],
      ['task', 'claim', '1'],
      ['task', 'list'],
    ]) {
      const mods = loaded(repo, args);
      expect({ args, modules: files(modulesOf(mods)) }).toEqual({ args, modules: ['bin/hzl.js'] });
      // child_process (with net, dgram, streams) would add ~1.6 ms to every call.
      expect({ args, childProcess: mods.includes('node:child_process') }).toEqual({ args, childProcess: false });
    }
  });

  it('git work loads simple-git from node_modules, on demand', () => {
    const repo = tempRepo();
    // simple-git's own dependencies (debug, @kwsites/file-exists) come in with it.
    expect(modulesOf(loaded(repo, ['task', 'add', 'A', '--commit'])).some((m) => m.includes('/node_modules/'))).toBe(
      true,
    );
    // A plain add asks git once (the ids in history), by a plain child process.
    expect(modulesOf(loaded(repo, ['task', 'add', 'B'])).filter((m) => m.includes('/node_modules/'))).toEqual([]);
  });
});
