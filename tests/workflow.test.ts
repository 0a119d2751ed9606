// The agent workflow through the CLI: ready queue, leases, steal, handoff, subtasks,
// dependencies, search, prime and AGENTS.md.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hzl, hzlAsync, readTask, runInProcess, tempRepo } from './helpers.js';

runInProcess();

const at = (time: string, author = 'alice') => ({ env: { HZL_NOW: time, HZL_AUTHOR: author } });
const T0 = '2024-01-15T10:00:00Z';

function add(repo: string, title: string, ...flags: string[]) {
  const r = hzl(repo, ['task', 'add', title, ...flags], at(T0));
  expect(r.status).toBe(0);
  return Number(r.stdout.trim());
}

const jsonOf = (repo: string, args: string[], env = at(T0)) => JSON.parse(hzl(repo, [...args, '--json'], env).stdout);

describe('claim --next', () => {
  it('8 agents racing over 6 available tasks: 6 distinct claims, 2 told nothing is available', async () => {
    const repo = tempRepo();
    for (let i = 1; i <= 6; i++) add(repo, `Task ${i}`, '-p', String(i % 4));
    add(repo, 'Blocked by 1', '--depends-on', '1');
    const runs = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        hzlAsync(repo, ['task', 'claim', '--next', '--author', `agent-${i}`, '--json']),
      ),
    );
    expect(runs.map((r) => r.status)).toEqual(Array(8).fill(0));
    const claimed = runs.map((r) => JSON.parse(r.stdout).task).filter((t) => t !== null);
    expect(claimed).toHaveLength(6);
    expect(new Set(claimed.map((t: { id: number }) => t.id))).toEqual(new Set([1, 2, 3, 4, 5, 6]));
    const nothing = runs.filter((r) => JSON.parse(r.stdout).task === null);
    expect(nothing).toHaveLength(2);
    const late = hzl(repo, ['task', 'claim', '--next', '--author', 'late']);
    expect(late).toMatchObject({ status: 0, stdout: '' });
    expect(late.stderr).toMatch(/^Nothing available to claim/);
    for (let id = 1; id <= 6; id++) {
      const text = readTask(repo, id);
      expect(text.match(/^author: /gm)).toHaveLength(1);
      expect(text.match(/: claimed \(/g)).toHaveLength(1);
    }
  });

  it('takes the most urgent, then the oldest; filters by tag and parent', () => {
    const repo = tempRepo();
    add(repo, 'Low', '-p', '0');
    add(repo, 'High old', '-p', '3', '-t', 'api');
    add(repo, 'High new', '-p', '3');
    add(repo, 'Child', '--parent', '1');
    expect(jsonOf(repo, ['task', 'claim', '--next', '--author', 'a']).task.id).toBe(2);
    expect(jsonOf(repo, ['task', 'claim', '--next', '--author', 'b', '--tag', 'api']).task).toBeNull();
    expect(jsonOf(repo, ['task', 'claim', '--next', '--author', 'b', '--parent', '1']).task.id).toBe(4);
    expect(jsonOf(repo, ['task', 'claim', '--next', '--author', 'c']).task.id).toBe(3);
    // 1 is a parent, and its subtask is now in progress: not available.
    expect(jsonOf(repo, ['task', 'claim', '--next', '--author', 'd']).task).toBeNull();
  });
});

describe('leases', () => {
  it('an expired lease is stuck; claim is refused; steal --if-expired works only once it expired', () => {
    const repo = tempRepo();
    add(repo, 'Quiet task');
    expect(hzl(repo, ['task', 'claim', '1', '--author', 'sleepy', '--lease', '30m'], at(T0)).status).toBe(0);

    const live = hzl(repo, ['task', 'steal', '1', '--if-expired', '--author', 'eager'], at('2024-01-15T10:10:00Z'));
    expect(live.status).toBe(4);
    expect(live.stderr).toMatch(/claimed by sleepy until 2024-01-15 10:30 \(lease not expired\)/);
    expect(jsonOf(repo, ['task', 'stuck'], at('2024-01-15T10:10:00Z')).tasks).toEqual([]);

    const later = at('2024-01-15T11:00:00Z');
    const stuck = jsonOf(repo, ['task', 'stuck'], later);
    expect(stuck.tasks.map((t: { id: number; stuck: unknown }) => [t.id, t.stuck])).toEqual([
      [1, { reason: 'lease expired', since: '2024-01-15T10:30:00Z' }],
    ]);
    expect(hzl(repo, ['task', 'stuck'], later).stdout).toBe(
      '1\tsleepy\tlease expired (2024-01-15 10:30)\tQuiet task\n',
    );

    const claim = hzl(repo, ['task', 'claim', '1', '--author', 'eager'], later);
    expect(claim.status).toBe(4);
    expect(claim.stderr).toMatch(/already claimed by sleepy/);

    const steal = hzl(repo, ['task', 'steal', '1', '--if-expired', '--author', 'eager'], later);
    expect(steal.status).toBe(0);
    expect(steal.stderr).toMatch(/^Took over #1 from sleepy for eager/);
    const text = readTask(repo, 1);
    expect(text).toMatch(/^author: eager$/m);
    expect(text).toContain('] eager: stole claim from sleepy (lease expired, lease 2h)');
  });

  it('no checkpoint for --older-than counts as stuck; --force steals a live claim', () => {
    const repo = tempRepo();
    add(repo, 'Long lease');
    hzl(repo, ['task', 'claim', '1', '--author', 'slow', '--lease', '1d'], at(T0));
    const stuck = jsonOf(repo, ['task', 'stuck', '--older-than', '1h'], at('2024-01-15T12:00:00Z'));
    expect(stuck.tasks[0].stuck).toEqual({ reason: 'no recent checkpoint', since: T0 });
    expect(hzl(repo, ['task', 'steal', '1', '--author', 'me'], at(T0)).status).toBe(2);
    expect(hzl(repo, ['task', 'steal', '1', '--force', '--author', 'me'], at('2024-01-15T12:00:00Z')).status).toBe(0);
    expect(readTask(repo, 1)).toContain('] me: stole claim from slow (forced, lease 2h)');
  });
});

describe('handoff', () => {
  it('releases with a HANDOFF note that show puts first; claim --next prefers the named agent', () => {
    const repo = tempRepo();
    add(repo, 'Urgent other', '-p', '3');
    add(repo, 'Auth');
    hzl(repo, ['task', 'claim', '2', '--author', 'claude-code'], at(T0));
    hzl(repo, ['task', 'checkpoint', '2', 'Designed schema'], at('2024-01-15T10:10:00Z', 'claude-code'));
    const r = hzl(
      repo,
      ['task', 'handoff', '2', 'Auth logic done. Remaining: tests and docs. See auth_service.rb', '--to', 'codex'],
      {
        env: { HZL_NOW: '2024-01-15T10:20:00Z' },
      },
    );
    expect(r.status).toBe(0);
    const text = readTask(repo, 2);
    expect(text).toMatch(/^status: ready$/m);
    expect(text).not.toMatch(/^author:/m);
    expect(text).toMatch(/^handoff_to: codex$/m);
    expect(text).toContain('] claude-code: HANDOFF: Auth logic done. Remaining: tests and docs. See auth_service.rb\n');

    const show = hzl(repo, ['task', 'show', '2']).stdout;
    expect(show.split('\n').slice(0, 5)).toEqual([
      'Task #2: Auth',
      'Status: ready',
      'Handoff to: codex',
      '',
      'Handoff from claude-code → codex (2024-01-15 10:20): ' +
        'Auth logic done. Remaining: tests and docs. See auth_service.rb',
    ]);

    // codex gets the task handed to it, although task 1 is more urgent; others get task 1.
    expect(jsonOf(repo, ['task', 'claim', '--next', '--author', 'codex']).task.id).toBe(2);
    expect(readTask(repo, 2)).not.toMatch(/^handoff_to:/m);
    expect(jsonOf(repo, ['task', 'claim', '--next', '--author', 'gemini']).task.id).toBe(1);
  });
});

describe('dependencies and subtasks', () => {
  it('a dependent becomes available when its dependency completes; a cycle is refused', () => {
    const repo = tempRepo();
    add(repo, 'Schema');
    add(repo, 'API', '--depends-on', '1');
    const available = () => jsonOf(repo, ['task', 'list', '--available']).tasks.map((t: { id: number }) => t.id);
    expect(available()).toEqual([1]);
    expect(hzl(repo, ['task', 'show', '2']).stdout).toContain('Depends on: #1 (ready)');
    const cycle = hzl(repo, ['task', 'update', '1', '--depends-on', '2'], at(T0));
    expect(cycle.status).toBe(4);
    expect(cycle.stderr).toMatch(/#1 → #2 → #1/);
    hzl(repo, ['task', 'complete', '1'], at(T0));
    expect(available()).toEqual([2]);
  });

  it('show lists subtasks; completing a parent with open subtasks needs --force', () => {
    const repo = tempRepo();
    add(repo, 'Parent');
    add(repo, 'Child one', '--parent', '1');
    add(repo, 'Child two', '--parent', '1');
    hzl(repo, ['task', 'complete', '2'], at(T0));
    expect(hzl(repo, ['task', 'show', '1']).stdout).toContain(
      'Subtasks:\n  #2 (done) Child one\n  #3 (ready) Child two\n',
    );
    // A listing shows open work; --all shows the done subtask too.
    expect(jsonOf(repo, ['task', 'list', '--parent', '1']).tasks.map((t: { id: number }) => t.id)).toEqual([3]);
    expect(jsonOf(repo, ['task', 'list', '--parent', '1', '--all']).tasks).toHaveLength(2);
    const refused = hzl(repo, ['task', 'complete', '1'], at(T0));
    expect(refused.status).toBe(4);
    expect(refused.stderr).toMatch(/subtasks #3 are still open/);
    expect(hzl(repo, ['task', 'complete', '1', '--force'], at(T0)).status).toBe(0);
  });
});

describe('search', () => {
  it('finds titles, descriptions and checkpoints, case-insensitive, newest activity first', () => {
    const repo = tempRepo();
    add(repo, 'Session store', '-d', 'Where do sessions live?');
    add(repo, 'Cache layer');
    add(repo, 'Unrelated');
    hzl(repo, ['task', 'checkpoint', '2', 'Decided on REDIS for the cache'], at('2024-01-15T12:00:00Z'));
    hzl(repo, ['task', 'checkpoint', '1', 'Redis has TTLs built in'], at('2024-01-15T11:00:00Z'));
    const hits = jsonOf(repo, ['task', 'search', 'redis']);
    expect(hits.kind).toBe('task-search');
    expect(hits.tasks.map((t: { id: number }) => t.id)).toEqual([2, 1]);
    expect(hits.tasks[0].checkpoints[0].text).toBe('Decided on REDIS for the cache');
    expect(
      jsonOf(repo, ['task', 'search', 'SESSIONS', 'live']).tasks.map((t: { matched: string[] }) => t.matched),
    ).toEqual([['description']]);
    // YAML quotes this title ('It''s …'): found all the same.
    add(repo, "It's the cache");
    expect(jsonOf(repo, ['task', 'search', "it's"]).tasks.map((t: { id: number }) => t.id)).toEqual([4]);
    const none = hzl(repo, ['task', 'search', 'kafka']);
    expect(none).toMatchObject({ status: 0, stdout: '', stderr: 'No task mentions "kafka".\n' });
  });
});

describe('agent instructions', () => {
  it('prime: a short guide plus the open tasks of this author with their last checkpoint', () => {
    const repo = tempRepo();
    add(repo, 'Mine');
    add(repo, 'Not mine');
    hzl(repo, ['task', 'claim', '1', '--author', 'claude-code'], at(T0));
    hzl(repo, ['task', 'checkpoint', '1', 'Next: wire the router'], at(T0, 'claude-code'));
    const r = hzl(repo, ['prime'], { env: { HZL_AUTHOR: 'claude-code' } });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('hzl task checkpoint N');
    expect(r.stdout).toContain('what is next');
    expect(r.stdout).toContain('- #1 Mine (in_progress)\n  [2024-01-15 10:00] Next: wire the router\n');
    expect(r.stdout).not.toContain('Not mine');
    // A rough token count (4 characters a token) well under the 1,500 budget.
    expect(r.stdout.length / 4).toBeLessThan(1500);
  });

  it('init --agents writes one marked block in AGENTS.md, idempotently, leaving other text alone', () => {
    const repo = tempRepo();
    writeFileSync(join(repo, 'AGENTS.md'), '# Rules\n\nUse tabs.\n');
    expect(hzl(repo, ['init', '--agents']).status).toBe(0);
    const once = readFileSync(join(repo, 'AGENTS.md'), 'utf8');
    expect(once.startsWith('# Rules\n\nUse tabs.\n\n<!-- hzl:begin')).toBe(true);
    writeFileSync(join(repo, 'AGENTS.md'), `${once}\n## Mine\n\nKeep this.\n`);
    expect(hzl(repo, ['init', '--agents']).status).toBe(0);
    const twice = readFileSync(join(repo, 'AGENTS.md'), 'utf8');
    expect(twice.match(/hzl:begin/g)).toHaveLength(1);
    expect(twice).toBe(`${once}\n## Mine\n\nKeep this.\n`);
  });
});
