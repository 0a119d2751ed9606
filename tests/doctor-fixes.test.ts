// `hzl doctor --fix` on duplicate ids and mismatched names: it renumbers from the file as it is
// under the task's lock, settles renames and renumbering in one run, and never takes a used id.

import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../src/core/errors.js';
import { parseTaskFile } from '../src/format/task-file.js';
import { openProject } from '../src/store/project.js';
import { TaskStore } from '../src/store/task-store.js';
import { HZL, hzl, snapshot, tempDir, tempRepo } from './helpers.js';

const EDIT = '- [2026-03-01T00:00:00Z] carol: a hand edit made while doctor ran';

function taskText(id: number, title: string, created: string): string {
  return [
    '---',
    `id: ${id}`,
    `title: ${title}`,
    'status: ready',
    'priority: 0',
    `created: ${created}`,
    `updated: ${created}`,
    '---',
    '',
    '## History',
    '',
    `- [${created}] alice: created (ready)`,
    '',
    '## Checkpoints',
    '',
  ].join('\n');
}

function writeTask(repo: string, name: string, id: number, title: string, created: string): void {
  writeFileSync(join(repo, '.hzl/tasks', name), taskText(id, title, created));
}

function taskNames(repo: string): string[] {
  return readdirSync(join(repo, '.hzl/tasks'))
    .filter((n) => n.endsWith('.md'))
    .sort();
}

/**
 * A `git` first in PATH that, the first time doctor asks for the refs (after it read the task
 * files, before it renumbers), runs `command`: a write made meanwhile.
 */
function gitThatRuns(command: string): string {
  const real = spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();
  const bin = tempDir();
  const marker = join(bin, 'edited');
  const script = [
    '#!/bin/sh',
    `if [ "$1" = show-ref ] && [ "$2" = --head ] && [ ! -e '${marker}' ]; then`,
    `  : > '${marker}'`,
    `  ${command}`,
    'fi',
    `exec '${real}' "$@"`,
    '',
  ].join('\n');
  writeFileSync(join(bin, 'git'), script);
  chmodSync(join(bin, 'git'), 0o755);
  return `${bin}${delimiter}${process.env.PATH}`;
}

function gitThatEdits(file: string, also = ''): string {
  return gitThatRuns(`${also}printf '%s\\n' '${EDIT}' >> '${file}'`);
}

describe('doctor --fix renumbers the file as it is now', () => {
  it('keeps a checkpoint written after doctor read the files: it moves with the task', () => {
    const repo = tempRepo();
    writeTask(repo, '1-alpha.md', 1, 'alpha', '2026-01-02T00:00:00Z');
    writeTask(repo, '1-beta.md', 1, 'beta', '2026-01-01T00:00:00Z');
    const PATH = gitThatEdits(join(repo, '.hzl/tasks/1-alpha.md'));
    const r = hzl(repo, ['doctor', '--fix'], { env: { PATH } });
    expect(r.stderr).toBe('Fixed 1 problem.\n');
    expect(r.status).toBe(0);
    expect(taskNames(repo)).toEqual(['1-beta.md', '2-alpha.md']);
    const moved = readFileSync(join(repo, '.hzl/tasks/2-alpha.md'), 'utf8');
    expect(moved).toContain(EDIT);
    expect(moved).toMatch(/^id: 2$/m);
    expect(moved).toContain('renumbered from #1');
  });

  it('keeps a checkpoint that hzl wrote meanwhile (no internal error)', () => {
    const repo = tempRepo();
    writeTask(repo, '1-alpha.md', 1, 'alpha', '2026-01-02T00:00:00Z');
    writeTask(repo, '2-beta.md', 1, 'beta', '2026-01-01T00:00:00Z');
    const checkpoint = `'${process.execPath}' '${HZL}' task checkpoint 1 'written meanwhile' --author carol`;
    const PATH = gitThatRuns(`${checkpoint} || echo CHECKPOINT-FAILED >&2`);
    const r = hzl(repo, ['doctor', '--fix'], { env: { PATH } });
    expect(r.stderr).toBe('Fixed 2 problems.\n');
    expect(r.status).toBe(0);
    expect(taskNames(repo)).toEqual(['1-beta.md', '3-alpha.md']);
    expect(readFileSync(join(repo, '.hzl/tasks/3-alpha.md'), 'utf8')).toMatch(/carol: written meanwhile$/m);
  });

  it('says the file changed meanwhile, exit 4, when its id was edited since doctor read it', () => {
    const repo = tempRepo();
    writeTask(repo, '1-alpha.md', 1, 'alpha', '2026-01-02T00:00:00Z');
    writeTask(repo, '1-beta.md', 1, 'beta', '2026-01-01T00:00:00Z');
    const file = join(repo, '.hzl/tasks/1-alpha.md');
    const PATH = gitThatEdits(file, `sed -i 's/^id: 1$/id: 7/' '${file}'; `);
    const r = hzl(repo, ['doctor', '--fix'], { env: { PATH } });
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(/^hzl: \.hzl\/tasks\/1-alpha\.md changed meanwhile .*run 'hzl doctor --fix' again\n$/);
    expect(taskNames(repo)).toEqual(['1-alpha.md', '1-beta.md']);
  });
});

describe('doctor --fix settles names and duplicate ids in one run', () => {
  it('two files say id 9: the later is renumbered, the earlier renamed to 9, and both are reported', () => {
    const repo = tempRepo();
    writeTask(repo, '1-alpha.md', 9, 'alpha', '2026-01-02T00:00:00Z');
    writeTask(repo, '2-beta.md', 9, 'beta', '2026-01-01T00:00:00Z');
    const r = hzl(repo, ['doctor', '--fix']);
    expect(r.stderr).toBe('Fixed 2 problems.\n');
    expect(r.status).toBe(0);
    expect(taskNames(repo)).toEqual(['3-alpha.md', '9-beta.md']);
    expect(readFileSync(join(repo, '.hzl/tasks/9-beta.md'), 'utf8')).toMatch(/^title: beta$/m);
    expect(readFileSync(join(repo, '.hzl/tasks/3-alpha.md'), 'utf8')).toMatch(/^id: 3$/m);
    expect(r.stdout).toContain('fixed: .hzl/tasks/1-alpha.md: id 9 was also used by .hzl/tasks/2-beta.md; renumbered');
    expect(r.stdout).toContain('fixed: .hzl/tasks/2-beta.md: its id is 9 but its name says 2; renamed to 9-beta.md');
    const again = hzl(repo, ['doctor']);
    expect(again.stderr).toBe('No problems found.\n');
    expect(again.status).toBe(0);
  });
});

describe('renumber never takes an id another file has', () => {
  function store(repo: string): TaskStore {
    return new TaskStore(openProject(repo), {});
  }

  it('refuses a reserved id already used here: conflict, nothing written', () => {
    const repo = tempRepo();
    writeTask(repo, '1-alpha.md', 1, 'alpha', '2026-01-02T00:00:00Z');
    writeTask(repo, '1-beta.md', 1, 'beta', '2026-01-01T00:00:00Z');
    writeTask(repo, '5-alpha.md', 5, 'other', '2026-01-01T00:00:00Z');
    const before = snapshot(repo);
    const path = join(repo, '.hzl/tasks/1-alpha.md');
    const move = () => store(repo).renumber(path, 1, (t, id) => ({ ...t, id }), 'alpha', { reserved: 5 });
    expect(move).toThrow(ConflictError);
    expect(move).toThrow(/#5 is already used by \.hzl\/tasks\/5-alpha\.md/);
    expect(snapshot(repo)).toEqual(before);
  });

  it('leaves the id counter where it was when it is higher than the new id', () => {
    const repo = tempRepo();
    writeTask(repo, '1-alpha.md', 1, 'alpha', '2026-01-02T00:00:00Z');
    writeTask(repo, '1-beta.md', 1, 'beta', '2026-01-01T00:00:00Z');
    const project = openProject(repo);
    mkdirSync(project.stateDir, { recursive: true });
    writeFileSync(join(project.stateDir, 'last-id'), '40\n');
    const path = join(repo, '.hzl/tasks/1-alpha.md');
    const moved = store(repo).renumber(path, 1, (t, id) => ({ ...t, id }), 'alpha', { reserved: 3 });
    expect(moved?.file).toBe('.hzl/tasks/3-alpha.md');
    expect(readFileSync(join(project.stateDir, 'last-id'), 'utf8')).toBe('40\n');
  });
});

describe('create with an id a remote reserved', () => {
  it('leaves the id counter where it was when it is higher than that id', () => {
    const repo = tempRepo();
    const project = openProject(repo);
    mkdirSync(project.stateDir, { recursive: true });
    writeFileSync(join(project.stateDir, 'last-id'), '40\n');
    const gamma = parseTaskFile(taskText(1, 'gamma', '2026-01-01T00:00:00Z'), 'gamma.md').task;
    const build = (id: number) => ({ ...gamma, id });
    const made = new TaskStore(project, {}).create(build, 'gamma', 0, 3);
    expect(made.file).toBe('.hzl/tasks/3-gamma.md');
    expect(readFileSync(join(project.stateDir, 'last-id'), 'utf8')).toBe('40\n');
  });
});

describe('doctor names the line of a problem where it knows it', () => {
  it('--json gives line, and a GitHub annotation gets line= so the pull request shows it there', () => {
    const repo = tempRepo();
    writeTask(repo, '1-alpha.md', 1, 'alpha', '2026-01-02T00:00:00Z');
    const file = join(repo, '.hzl/tasks/1-alpha.md');
    writeFileSync(file, `${readFileSync(file, 'utf8')}<<<<<<< ours\n- x\n=======\n- y\n>>>>>>> theirs\n`);
    const marker = readFileSync(file, 'utf8').split('\n').indexOf('<<<<<<< ours') + 1;
    const json = hzl(repo, ['doctor', '--json']);
    const found = JSON.parse(json.stdout).problems.find((p: { code: string }) => p.code === 'conflict-markers');
    expect(found).toMatchObject({ file: '.hzl/tasks/1-alpha.md', line: marker });
    const ci = hzl(repo, ['doctor', '--ci'], { env: { GITHUB_ACTIONS: 'true' } });
    expect(ci.status).toBe(5);
    expect(ci.stdout).toContain(`::error file=.hzl/tasks/1-alpha.md,line=${marker},title=hzl conflict-markers::`);
  });
});
