// Git-native behaviour through the CLI in real repositories: commit mode, ids across worktrees
// and branches, other branches read without checkout, file history, doctor, git failures.

import { cpSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, hzl, hzlAsync, readTask, runInProcess, taskFile, tempDir, tempRepo } from './helpers.js';

runInProcess();

const as = (author: string, at = '2024-01-15T10:00:00Z') => ({ env: { HZL_AUTHOR: author, HZL_NOW: at } });

function commitAll(repo: string, message = 'tasks') {
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', message);
}

describe('commit mode', () => {
  it("commits exactly the task file; the user's staged and unstaged changes stay as they were", () => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'First'], as('alice'));
    commitAll(repo);
    writeFileSync(join(repo, 'staged.txt'), 'staged\n');
    git(repo, 'add', 'staged.txt');
    writeFileSync(join(repo, 'unstaged.txt'), 'not staged\n');
    const r = hzl(
      repo,
      [
        'task',
        'checkpoint',
        '1',
        'Designed schema with users, sessions, tokens tables and more words to be long',
        '--commit',
      ],
      as('alice'),
    );
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(
      /^Checkpoint added to #1 \(1 in all\)\nCommitted [0-9a-f]{7} hzl: #1 checkpoint by alice: First\n/,
    );
    expect(git(repo, 'show', '--name-only', '--format=', 'HEAD').trim()).toBe('.hzl/tasks/1-first.md');
    const subject = git(repo, 'log', '-1', '--format=%s').trim();
    expect(subject.length).toBeLessThanOrEqual(72);
    expect(subject).toBe('hzl: #1 checkpoint by alice: First');
    expect(git(repo, 'log', '-1', '--format=%b').trim()).toBe(
      'Designed schema with users, sessions, tokens tables and more words to be long',
    );
    expect(git(repo, 'status', '--porcelain')).toBe('A  staged.txt\n?? unstaged.txt\n');
  });

  it('follows config, HZL_COMMIT and --no-commit, and commits new tasks too', () => {
    const repo = tempRepo();
    commitAll(repo, 'init');
    writeFileSync(join(repo, '.hzl/config.yml'), 'commit: true\n');
    commitAll(repo, 'config');
    expect(hzl(repo, ['task', 'add', 'Auto'], as('alice')).status).toBe(0);
    expect(git(repo, 'log', '-1', '--format=%s').trim()).toBe('hzl: #1 added by alice: Auto');
    hzl(repo, ['task', 'checkpoint', '1', 'not committed', '--no-commit'], as('alice'));
    expect(git(repo, 'log', '-1', '--format=%s').trim()).toBe('hzl: #1 added by alice: Auto');
    hzl(repo, ['task', 'claim', '1', '--author', 'bob'], { env: { HZL_COMMIT: '0' } });
    expect(git(repo, 'log', '-1', '--format=%s').trim()).toBe('hzl: #1 added by alice: Auto');
    hzl(repo, ['task', 'complete', '1'], as('bob'));
    expect(git(repo, 'log', '-1', '--format=%s').trim()).toBe('hzl: #1 completed by bob: Auto');
    // The claim above was not committed (HZL_COMMIT=0): this commit takes it along, and says so.
    expect(git(repo, 'log', '-1', '--format=%b').trim()).toBe(
      'completed (in_progress → done)\n\nAlso commits earlier uncommitted changes to this task file.',
    );
  });

  it('writes but does not commit during a merge or on a detached HEAD, and says so', () => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'First'], as('alice'));
    commitAll(repo);
    const head = git(repo, 'rev-parse', 'HEAD').trim();
    writeFileSync(join(repo, '.git', 'MERGE_HEAD'), `${head}\n`);
    let r = hzl(repo, ['task', 'checkpoint', '1', 'during merge', '--commit'], as('alice'));
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('hzl: warning: not committed: a merge is in progress; the task file is written');
    expect(readTask(repo, 1)).toContain('during merge');
    expect(git(repo, 'rev-parse', 'HEAD').trim()).toBe(head);
    git(repo, 'update-ref', '-d', 'MERGE_HEAD');
    git(repo, 'checkout', '-q', '--detach');
    r = hzl(repo, ['task', 'checkpoint', '1', 'detached', '--commit'], as('alice'));
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('not committed: HEAD is detached');
    expect(git(repo, 'rev-parse', 'HEAD').trim()).toBe(head);
  });
});

describe('ids', () => {
  it('8 adds in each of two worktrees at once give 16 distinct ids', async () => {
    const repo = tempRepo();
    commitAll(repo);
    const other = join(tempDir(), 'wt');
    git(repo, 'worktree', 'add', '-q', '-b', 'side', other);
    const runs = await Promise.all(
      [repo, other].flatMap((dir) =>
        Array.from({ length: 8 }, (_, i) => hzlAsync(dir, ['task', 'add', `Task ${i}`], { env: { HZL_AUTHOR: 'a' } })),
      ),
    );
    expect(runs.map((r) => r.status)).toEqual(Array(16).fill(0));
    const ids = runs.map((r) => Number(r.stdout.trim()));
    expect(new Set(ids).size).toBe(16);
    expect(Math.max(...ids)).toBe(16);
  });

  it('a task on a branch that is not checked out, even one deleted there, keeps its id from reuse', () => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'On main'], as('a'));
    commitAll(repo);
    git(repo, 'checkout', '-q', '-b', 'feature');
    hzl(repo, ['task', 'add', 'On feature'], as('a')); // 2
    hzl(repo, ['task', 'add', 'Deleted later'], as('a')); // 3
    commitAll(repo);
    git(repo, 'rm', '-q', taskFile(repo, 3));
    git(repo, 'commit', '-q', '-m', 'drop 3');
    git(repo, 'checkout', '-q', 'main');
    // A fresh clone state: the counter left by the adds above must not be what saves us.
    const common = join(repo, '.git', 'hzl');
    for (const f of ['last-id', 'ids-seen.json']) if (existsSync(join(common, f))) writeFileSync(join(common, f), '0');
    const r = hzl(repo, ['task', 'add', 'Next on main'], as('a'));
    expect(r.stdout.trim()).toBe('4');
  });
});

describe('other branches', () => {
  function branchedRepo() {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'Shared'], as('a'));
    commitAll(repo);
    git(repo, 'checkout', '-q', '-b', 'feature');
    hzl(repo, ['task', 'claim', '1', '--author', 'claude-code'], as('a', '2024-01-15T11:00:00Z'));
    hzl(repo, ['task', 'checkpoint', '1', 'Work on the feature branch'], as('claude-code', '2024-01-15T11:30:00Z'));
    hzl(repo, ['task', 'add', 'Only on feature'], as('a', '2024-01-15T11:40:00Z'));
    commitAll(repo, 'feature work');
    git(repo, 'checkout', '-q', 'main');
    return repo;
  }

  it('show --branch and list --branch read git objects, not the checkout', () => {
    const repo = branchedRepo();
    expect(hzl(repo, ['task', 'show', '1']).stdout).toContain('Status: ready');
    const show = hzl(repo, ['task', 'show', '1', '--branch', 'feature']);
    expect(show.status).toBe(0);
    expect(show.stdout).toContain('Status: in_progress\nAuthor: claude-code');
    expect(show.stdout).toContain('] Work on the feature branch');
    const list = hzl(repo, ['task', 'list', '--branch', 'feature']);
    expect(list.stdout).toBe('1\tin_progress\t0\tclaude-code\tShared\n2\tready\t0\t-\tOnly on feature\n');
    expect(hzl(repo, ['task', 'show', '2', '--branch', 'main']).status).toBe(3);
  });

  it('list --all-branches shows the newest version of each task and names its branch', () => {
    const repo = branchedRepo();
    const r = hzl(repo, ['task', 'list', '--all-branches']);
    expect(r.stdout).toBe(
      '1\tin_progress\t0\tclaude-code\tShared\tfeature\n2\tready\t0\t-\tOnly on feature\tfeature\n',
    );
    const json = JSON.parse(hzl(repo, ['task', 'list', '--all-branches', '--json']).stdout);
    expect(json.tasks.map((t: { id: number; branch: string }) => [t.id, t.branch])).toEqual([
      [1, 'feature'],
      [2, 'feature'],
    ]);
  });

  it('task history lists the commits that touched the file', () => {
    const repo = branchedRepo();
    git(repo, 'checkout', '-q', 'feature');
    const h = JSON.parse(hzl(repo, ['task', 'history', '1', '--json']).stdout);
    expect(h.commits.map((c: { subject: string }) => c.subject)).toEqual(['feature work', 'tasks']);
    expect(hzl(repo, ['task', 'history', '1']).stdout).toMatch(
      /\nCommits:\n {2}[0-9a-f]{7} \d{4}-\d\d-\d\d \d\d:\d\d feature work\n/,
    );
  });
});

describe('doctor', () => {
  it('finds a duplicated id from two clones and --fix renumbers the later one, keeping both', () => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'Base'], as('a', '2024-01-15T09:00:00Z'));
    commitAll(repo);
    const clone = join(tempDir(), 'clone');
    git(repo, 'clone', '-q', repo, clone);
    git(clone, 'config', 'user.name', 'Other');
    git(clone, 'config', 'user.email', 'o@e');
    hzl(repo, ['task', 'add', 'Mine'], as('a', '2024-01-15T10:00:00Z'));
    commitAll(repo, 'mine');
    hzl(clone, ['task', 'add', 'Theirs'], as('b', '2024-01-15T11:00:00Z'));
    hzl(clone, ['task', 'add', 'Needs theirs', '--depends-on', '2'], as('b', '2024-01-15T11:05:00Z'));
    commitAll(clone, 'theirs');
    git(repo, 'pull', '-q', '--no-rebase', '--no-edit', clone, 'main');
    expect(readdirSync(join(repo, '.hzl/tasks')).filter((n) => n.startsWith('2-'))).toHaveLength(2);

    const check = hzl(repo, ['doctor']);
    expect(check.status).toBe(5);
    expect(check.stdout).toMatch(/problem: \.hzl\/tasks\/2-theirs\.md: id 2 is also used by \.hzl\/tasks\/2-mine\.md/);
    expect(check.stderr).toMatch(/^hzl: 1 problem found/);

    const fixed = hzl(repo, ['doctor', '--fix'], as('a', '2024-01-15T12:00:00Z'));
    expect(fixed.status).toBe(0);
    expect(fixed.stdout).toMatch(/fixed: .*renumbered to #4 \(\.hzl\/tasks\/4-theirs\.md\)/);
    expect(fixed.stdout).toMatch(/note: #3 mentions #2 \(depends_on\): check whether it meant 'Theirs', now #4/);
    expect(readTask(repo, 2)).toMatch(/^title: Mine$/m);
    expect(readTask(repo, 4)).toMatch(/^title: Theirs$/m);
    expect(readTask(repo, 4)).toContain('] a: renumbered from #2 (the same id came from another clone)');
    expect(hzl(repo, ['doctor']).status).toBe(0);
  });

  it('reports conflict markers, a link to nowhere, a double claim, a misnamed file', () => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'A', '-d', 'text'], as('a'));
    hzl(repo, ['task', 'add', 'B', '--depends-on', '1'], as('a'));
    hzl(repo, ['task', 'add', 'C'], as('a'));
    writeFileSync(
      taskFile(repo, 1),
      readTask(repo, 1).replace('text\n', '<<<<<<< ours\ntext\n=======\nother\n>>>>>>> theirs\n'),
    );
    writeFileSync(taskFile(repo, 2), readTask(repo, 2).replace('depends_on: [1]', 'depends_on: [9]'));
    hzl(repo, ['task', 'claim', '3', '--author', 'x'], as('a'));
    const three = readTask(repo, 3);
    // A second claim in History (which comes before the Checkpoints, the last section).
    writeFileSync(
      taskFile(repo, 3),
      three.replace(
        '\n\n## Checkpoints',
        '\n- [2024-01-15T10:00:00Z] y: claimed (ready → in_progress, lease 2h)\n\n## Checkpoints',
      ),
    );
    cpSync(taskFile(repo, 3), join(repo, '.hzl/tasks/7-c.md'));
    writeFileSync(taskFile(repo, 3), three);
    const r = hzl(repo, ['doctor', '--json']);
    expect(r.status).toBe(5);
    const codes = JSON.parse(r.stdout)
      .problems.map((p: { code: string }) => p.code)
      .sort();
    // 7-c.md is a copy of task 3 under another number: misnamed, and a second file with id 3.
    expect(codes).toEqual(['conflict-markers', 'dangling-link', 'double-claim', 'duplicate-id', 'name-mismatch']);
  });

  it('reports claim fields that disagree with the status, as a field-by-field merge can leave them', () => {
    const repo = tempRepo();
    for (const title of ['A', 'B', 'C']) hzl(repo, ['task', 'add', title], as('a'));
    for (const id of ['1', '2', '3']) hzl(repo, ['task', 'claim', id, '--author', 'x'], as('a'));
    // 1: released on one branch, its lease extended on the other: ready, yet author and lease kept.
    writeFileSync(taskFile(repo, 1), readTask(repo, 1).replace('status: in_progress', 'status: ready'));
    // 2: in progress, with nobody holding it.
    writeFileSync(taskFile(repo, 2), readTask(repo, 2).replace(/^author: x\n/m, ''));
    // 3: done, with its lease still there.
    hzl(repo, ['task', 'complete', '3'], as('x'));
    writeFileSync(
      taskFile(repo, 3),
      readTask(repo, 3).replace('status: done', 'status: done\nlease_until: 2030-01-01T00:00:00Z'),
    );
    const r = hzl(repo, ['doctor', '--json']);
    expect(r.status).toBe(5);
    const problems = JSON.parse(r.stdout).problems.map(
      (p: { code: string; message: string }) => `${p.code}: ${p.message}`,
    );
    expect(problems).toEqual([
      "claim-fields: task #1 is ready but names author x and a lease: 'hzl doctor --fix' clears them " +
        "(or 'hzl task claim 1 --author x', if x is on it)",
      'claim-fields: task #2 is in progress but has no author: ' +
        "'hzl task release 2', or 'hzl task steal 2 --force --author NAME'",
      "claim-fields: task #3 is done but has a lease: 'hzl doctor --fix' drops it",
    ]);

    const fixed = hzl(repo, ['doctor', '--fix', '--json']);
    expect(fixed.status).toBe(5); // #2 needs a person
    expect(JSON.parse(fixed.stdout).problems.map((p: { fixed: boolean }) => p.fixed)).toEqual([true, false, true]);
    const task = (id: number) => JSON.parse(hzl(repo, ['task', 'show', String(id), '--json']).stdout).task;
    expect(task(1)).toMatchObject({ status: 'ready', author: null, lease_until: null });
    expect(task(1).history.at(-1).text).toBe(
      'cleared author x and the lease: the task is ready, not in progress (hzl doctor)',
    );
    expect(task(3)).toMatchObject({ status: 'done', author: 'x', lease_until: null });
    expect(
      JSON.parse(hzl(repo, ['task', 'list', '--available', '--json']).stdout).tasks.map((t: { id: number }) => t.id),
    ).toEqual([1]);
  });
  it('leaves the claim fields of a file whose id is not its own alone, and never crashes on them', () => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'First'], as('a'));
    hzl(repo, ['task', 'add', 'Second'], as('a'));
    hzl(repo, ['task', 'claim', '2', '--author', 'bob'], as('a'));
    // Task 2, released on one side and still claimed on the other, arrives as a second #1 from
    // another clone; and a third file with id 1 does not parse at all.
    const second = readTask(repo, 2).replace('id: 2', 'id: 1').replace('status: in_progress', 'status: ready');
    rmSync(taskFile(repo, 2));
    writeFileSync(join(repo, '.hzl/tasks/1-second.md'), second);
    writeFileSync(join(repo, '.hzl/tasks/1-broken.md'), '---\nid: 1\ntitle: [oops\n---\n');
    const report = JSON.parse(hzl(repo, ['doctor', '--json']).stdout).problems;
    expect(report.find((p: { code: string }) => p.code === 'claim-fields')).toMatchObject({
      file: '.hzl/tasks/1-second.md',
      message:
        '.hzl/tasks/1-second.md is ready but names author bob and a lease: ' +
        "once its id is its own (see above), run 'hzl doctor' again",
    });
    const fixed = hzl(repo, ['doctor', '--fix', '--json']);
    expect(fixed.status).toBe(5); // the broken file needs a person
    expect(fixed.stderr).not.toMatch(/more than one file/);
    expect(readTask(repo, 1)).not.toMatch(/^author:/m); // #1 (First) was never touched
  });
});

describe('git failures', () => {
  it('exit 6 outside a repository, 3 for an unknown branch, 6 without git on PATH', () => {
    const plain = tempDir();
    hzl(plain, ['init']);
    hzl(plain, ['task', 'add', 'A'], as('a'));
    const outside = hzl(plain, ['task', 'list', '--branch', 'main']);
    expect(outside.status).toBe(6);
    expect(outside.stderr).toMatch(/^hzl: not a git repository/);

    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'A'], as('a'));
    const unknown = hzl(repo, ['task', 'show', '1', '--branch', 'nope']);
    expect(unknown.status).toBe(3);
    expect(unknown.stderr).toBe("hzl: unknown branch 'nope': 'git branch -a' lists the branches there are\n");

    const noGit = hzl(repo, ['task', 'list', '--all-branches'], { env: { PATH: '/nonexistent' } });
    expect(noGit.status).toBe(6);
    expect(noGit.stderr).toMatch(/git is not installed or not on PATH/);
    expect(noGit.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});

describe('list --all-branches names where each version lives', () => {
  it('a task identical on main and feature/a shows both, the checked-out branch first', () => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'Same everywhere'], as('alice'));
    commitAll(repo, 'tasks');
    git(repo, 'branch', 'feature/a');
    const branches = (args: string[] = []) =>
      JSON.parse(hzl(repo, ['task', 'list', '--all-branches', '--json', ...args]).stdout).tasks.map(
        (t: { branches: string[] }) => t.branches,
      );
    expect(branches()).toEqual([['main', 'feature/a']]);
    expect(hzl(repo, ['task', 'list', '--all-branches']).stdout).toBe(
      '1\tready\t0\t-\tSame everywhere\tmain, feature/a\n',
    );
    git(repo, 'checkout', '-q', 'feature/a');
    expect(branches()).toEqual([['feature/a', 'main']]);
    // A newer version on one branch: that branch alone holds it.
    hzl(repo, ['task', 'checkpoint', '1', 'only here'], {
      env: { HZL_AUTHOR: 'alice', HZL_NOW: '2030-01-01T00:00:00Z' },
    });
    commitAll(repo, 'feature work');
    expect(branches()).toEqual([['feature/a']]);
  });
});
