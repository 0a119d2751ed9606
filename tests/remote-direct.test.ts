// A remote claim or add pushes its record itself, in git's push protocol, where it knows the
// route (git:// or a path, nothing in the config or environment that reroutes): no `git push`
// and no `git pack-objects` run. Everywhere else `git push` runs, as before. Both are checked
// against real receive-packs: over `git daemon` on 127.0.0.1 and over a path.

import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packOf, objectId } from '../src/git/pack.js';
import { pushRoute, routeOfUrl } from '../src/git/push-route.js';
import { commitAll, errors, remoteRefs, team } from './clone-helpers.js';
import { baseEnv, git, hzl, hzlAsync, snapshot, tempDir, tempRepo } from './helpers.js';

/** A folder with a `git` that writes its arguments to `log` and runs the real git. */
function loggingGit(): { path: string; log: string } {
  const dir = join(tempDir(), 'bin');
  mkdirSync(dir);
  const log = join(dir, 'calls.log');
  const real = git(tempDir(), '--exec-path').trim(); // the real git lives there
  writeFileSync(join(dir, 'git'), `#!/bin/sh\necho "$*" >> '${log}'\nexec '${real}/git' "$@"\n`);
  chmodSync(join(dir, 'git'), 0o755);
  writeFileSync(log, '');
  return { path: `${dir}:${process.env.PATH}`, log };
}

const calls = (log: string) => readFileSync(log, 'utf8').split('\n').filter(Boolean);
const subcommands = (log: string) => calls(log).map((line) => line.split(' ')[0]);

describe('the pack a push sends', () => {
  it('is read by git index-pack: a record commit and the empty tree, named as git names them', () => {
    const repo = tempRepo({ init: false });
    const text =
      'tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor hzl <hzl@localhost> 1 +0000\n' +
      'committer hzl <hzl@localhost> 1 +0000\n\nhzl claim #1\n\nauthor: a\n';
    const body = Buffer.from(text);
    const oid = objectId('commit', body);
    const pack = join(tempDir(), 'one.pack');
    writeFileSync(
      pack,
      packOf([
        { type: 'commit', body },
        { type: 'tree', body: Buffer.alloc(0) },
      ]),
    );
    git(repo, 'index-pack', pack);
    const objects = git(repo, 'verify-pack', '-v', pack);
    expect(objects).toContain(`${oid} commit`);
    expect(objects).toContain('4b825dc642cb6eb9a060e54bf8d69288fbee4904 tree');
    // A body of more than 15 bytes needs a second size byte, and over 2047 a third.
    const long = Buffer.from('x'.repeat(70_000));
    writeFileSync(pack, packOf([{ type: 'blob', body: long }]));
    git(repo, 'index-pack', pack);
    expect(git(repo, 'verify-pack', '-v', pack)).toContain(`${objectId('blob', long)} blob   70000`);
  });
});

describe('which pushes hzl makes itself', () => {
  it('git:// and paths on this machine; ssh, http(s), host:path and helpers are left to git', () => {
    expect(routeOfUrl('git://127.0.0.1:9419/remote.git')).toEqual({
      kind: 'daemon',
      host: '127.0.0.1',
      port: 9419,
      path: '/remote.git',
      hostHeader: '127.0.0.1:9419',
    });
    expect(routeOfUrl('git://[::1]/r')).toMatchObject({ host: '::1', port: 9418, hostHeader: '[::1]' });
    expect(routeOfUrl('/srv/remote.git')).toEqual({ kind: 'local', path: '/srv/remote.git' });
    expect(routeOfUrl('../remote.git')).toEqual({ kind: 'local', path: '../remote.git' });
    expect(routeOfUrl('file:///srv/remote.git')).toEqual({ kind: 'local', path: '/srv/remote.git' });
    for (const url of [
      'ssh://host/r.git',
      'https://github.com/a/b.git',
      'git@github.com:a/b.git',
      'host:r.git',
      'ext::sh -c x',
      'file://host/r.git',
      'git://host/a%20b.git',
    ])
      expect(routeOfUrl(url), url).toBeUndefined();
  });

  it('none where the config or environment reroutes a push, or HZL_GIT_PUSH=git asks for git', () => {
    const repo = tempRepo({ init: false });
    git(repo, 'remote', 'add', 'origin', 'git://127.0.0.1:9/r.git');
    const commonDir = join(repo, '.git');
    const global = join(tempDir(), 'gitconfig');
    writeFileSync(global, '');
    const env = baseEnv({ GIT_CONFIG_GLOBAL: global });
    expect(pushRoute('origin', commonDir, env)).toMatchObject({ kind: 'daemon', port: 9 });
    expect(pushRoute('upstream', commonDir, env)).toBeUndefined();
    expect(pushRoute('origin', commonDir, { ...env, HZL_GIT_PUSH: 'git' })).toBeUndefined();
    expect(pushRoute('origin', commonDir, { ...env, GIT_DIR: commonDir })).toBeUndefined();
    expect(pushRoute('origin', commonDir, { ...env, GIT_CONFIG_COUNT: '1' })).toBeUndefined();

    const rerouted = (line: string) => {
      writeFileSync(global, line);
      const route = pushRoute('origin', commonDir, env);
      writeFileSync(global, '');
      return route;
    };
    expect(rerouted('[url "ssh://elsewhere/"]\n\tinsteadOf = git://127.0.0.1:9/\n')).toBeUndefined();
    expect(rerouted('[url "ssh://elsewhere/"]\n\tpushInsteadOf = git://\n')).toBeUndefined();
    expect(rerouted('[core]\n\tgitProxy = my-proxy\n')).toBeUndefined();
    expect(rerouted('[include]\n\tpath = more.config\n')).toBeUndefined();
    expect(rerouted('[push]\n\tgpgSign = true\n')).toBeUndefined();
    expect(rerouted('[remote "origin"]\n\tpushurl = /elsewhere.git\n')).toBeUndefined();
    expect(rerouted('[user]\n\tname = Someone\n[push]\n\tdefault = current\n')).toMatchObject({ kind: 'daemon' });

    git(repo, 'config', 'remote.origin.pushurl', '/elsewhere.git');
    expect(pushRoute('origin', commonDir, env)).toBeUndefined();
    git(repo, 'config', '--unset', 'remote.origin.pushurl');
    git(repo, 'config', '--add', 'remote.origin.url', '/second.git'); // git pushes to both
    expect(pushRoute('origin', commonDir, env)).toBeUndefined();
  });
});

describe('a remote claim and add', () => {
  for (const over of ['daemon', 'path'] as const) {
    it(`over ${over === 'daemon' ? 'git daemon' : 'a path'}: run no git push, and land on the remote`, async () => {
      const { bare, clones } = await team(2, over);
      const [clone, second] = clones as [string, string];
      expect(hzl(clone, ['task', 'add', 'One', '--author', 'a']).status).toBe(0);
      const spy = loggingGit();
      const env = { PATH: spy.path };
      const add = hzl(clone, ['task', 'add', 'Two', '--author', 'a'], { env });
      expect(add.status, add.stderr).toBe(0);
      commitAll(clone, 'two tasks');
      git(clone, 'push', '-q', 'origin', 'main');
      git(second, 'pull', '-q', 'origin', 'main');
      writeFileSync(spy.log, '');
      const claim = hzl(clone, ['task', 'claim', '2', '--author', 'a'], { env });
      expect(claim.status, claim.stderr).toBe(0);
      expect(subcommands(spy.log)).not.toContain('push');
      expect(subcommands(spy.log)).not.toContain('pack-objects');
      // Over a path, the one git process of each push is the remote's receive-pack.
      if (over === 'path') expect(subcommands(spy.log)).toEqual(['receive-pack']);
      expect(remoteRefs(bare, 'refs/hzl/')).toEqual(
        expect.arrayContaining(['refs/hzl/claims/2', 'refs/hzl/ids/1', 'refs/hzl/ids/2']),
      );
      // The record on the remote is the one written here, readable by git.
      const record = git(bare, 'cat-file', '-p', 'refs/hzl/claims/2');
      expect(record).toMatch(/^tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n/);
      expect(record).toMatch(/\nauthor: a\nsince: /);
      expect(git(bare, 'fsck', '--strict')).toBe('');

      // Another clone, whose file still says the task is free, loses it on the remote.
      const other = hzl(second, ['task', 'claim', '2', '--author', 'b'], { env });
      expect(other.status).toBe(4);
      expect(errors(other.stderr)).toMatch(/^hzl: task #2 is claimed by a in /);

      // HZL_GIT_PUSH=git runs git push, to the same effect.
      writeFileSync(spy.log, '');
      const viaGit = hzl(clone, ['task', 'claim', '1', '--author', 'a'], { env: { ...env, HZL_GIT_PUSH: 'git' } });
      expect(viaGit.status, viaGit.stderr).toBe(0);
      expect(subcommands(spy.log)).toContain('push');
      expect(remoteRefs(bare, 'refs/hzl/claims/')).toEqual(['refs/hzl/claims/1', 'refs/hzl/claims/2']);
    });
  }

  it('claim --next pushes its claim itself too; agents racing in one clone end with one claim per task', async () => {
    const { bare, clones } = await team(1, 'daemon');
    const clone = clones[0]!;
    for (const title of ['One', 'Two', 'Three'])
      expect(hzl(clone, ['task', 'add', title, '--author', 'a']).status).toBe(0);
    const spy = loggingGit();
    const next = hzl(clone, ['task', 'claim', '--next', '--author', 'first'], { env: { PATH: spy.path } });
    expect(next.status, next.stderr).toBe(0);
    expect(subcommands(spy.log)).not.toContain('push');

    const racers = await Promise.all(
      ['r1', 'r2', 'r3', 'r4'].map((author) =>
        hzlAsync(clone, ['task', 'claim', '--next', '--author', author, '--json']),
      ),
    );
    for (const r of racers) expect(r.status, r.stderr).toBe(0);
    const won = racers.map((r) => JSON.parse(r.stdout).task).filter(Boolean);
    expect(won).toHaveLength(2);
    expect(new Set(won.map((t: { id: number }) => t.id)).size).toBe(2);
    // On the remote: one claim per task, each naming the author its file names; no claim left behind.
    expect(remoteRefs(bare, 'refs/hzl/claims/')).toHaveLength(3);
    for (const t of won as Array<{ id: number; author: string }>)
      expect(git(bare, 'cat-file', '-p', `refs/hzl/claims/${t.id}`)).toContain(`\nauthor: ${t.author}\n`);
  });

  it('follow a url rewrite in the user config through git push, where a push of its own would go astray', async () => {
    const { bare, clones, daemon } = await team(1, 'daemon');
    const clone = clones[0]!;
    const global = join(tempDir(), 'gitconfig');
    writeFileSync(global, `[url "${daemon!.url}"]\n\tinsteadOf = git://hzl.invalid/remote.git\n`);
    const env = { GIT_CONFIG_GLOBAL: global };
    git(clone, 'remote', 'set-url', 'origin', 'git://hzl.invalid/remote.git');
    expect(hzl(clone, ['task', 'add', 'One', '--author', 'a'], { env }).status).toBe(0);
    const claim = hzl(clone, ['task', 'claim', '1', '--author', 'a'], { env });
    expect(claim.status, claim.stderr).toBe(0);
    expect(remoteRefs(bare, 'refs/hzl/claims/')).toEqual(['refs/hzl/claims/1']);
  });

  for (const over of ['daemon', 'path'] as const) {
    it(`refused by a hook over ${over === 'daemon' ? 'git daemon' : 'a path'}: exit 6 with its reason, as with git push`, async () => {
      const { bare, clones } = await team(1, over);
      const clone = clones[0]!;
      expect(hzl(clone, ['task', 'add', 'One', '--author', 'a']).status).toBe(0);
      const hook = join(bare, 'hooks', 'pre-receive');
      writeFileSync(hook, '#!/bin/sh\necho "no claims here" >&2\nexit 1\n');
      chmodSync(hook, 0o755);
      const before = snapshot(clone);
      for (const HZL_GIT_PUSH of ['', 'git']) {
        const r = hzl(clone, ['task', 'claim', '1', '--author', 'a'], { env: { HZL_GIT_PUSH } });
        expect(r.status, HZL_GIT_PUSH).toBe(6);
        expect(errors(r.stderr)).toBe(
          "hzl: cannot coordinate through the remote 'origin' (it refused the ref: pre-receive hook declined); " +
            'check the network and your access to it; nothing was written\n',
        );
      }
      expect(snapshot(clone)).toEqual(before);
      expect(remoteRefs(bare, 'refs/hzl/claims/')).toEqual([]);
    });
  }

  it('to a remote that is not there: exit 6 naming what the remote said, nothing written', async () => {
    for (const over of ['daemon', 'path'] as const) {
      const { clones, daemon } = await team(1, over);
      const clone = clones[0]!;
      expect(hzl(clone, ['task', 'add', 'One', '--author', 'a']).status).toBe(0);
      const gone = over === 'daemon' ? daemon!.url.replace('remote.git', 'gone.git') : join(tempDir(), 'gone.git');
      git(clone, 'remote', 'set-url', 'origin', gone);
      const before = snapshot(clone);
      const r = hzl(clone, ['task', 'claim', '1', '--author', 'a']);
      expect(r.status, over).toBe(6);
      expect(errors(r.stderr)).toMatch(
        over === 'daemon'
          ? /^hzl: cannot coordinate through the remote 'origin' \(remote error: access denied or repository not exported: \/gone\.git\); /
          : /^hzl: cannot coordinate through the remote 'origin' \('.*gone\.git' does not appear to be a git repository\); /,
      );
      expect(snapshot(clone)).toEqual(before);
    }
  });

  it('to a server that speaks no git: exit 6 saying so, nothing written, no raw control characters', async () => {
    const { clones } = await team(1);
    const clone = clones[0]!;
    expect(hzl(clone, ['task', 'add', 'One', '--author', 'a']).status).toBe(0);
    // Each reads what it is sent (resume), so that it sees hzl hang up and the server can close.
    const server = createServer((socket) => socket.resume().end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const said = 'ERR \u001b[31mred\u0007 x\n';
    const liar = createServer((socket) =>
      socket.resume().end(`${(said.length + 4).toString(16).padStart(4, '0')}${said}`),
    );
    await new Promise<void>((done) => liar.listen(0, '127.0.0.1', done));
    try {
      const before = snapshot(clone);
      git(clone, 'remote', 'set-url', 'origin', `git://127.0.0.1:${(server.address() as AddressInfo).port}/r.git`);
      const r = await hzlAsync(clone, ['task', 'claim', '1', '--author', 'a']);
      expect(r.status).toBe(6);
      expect(errors(r.stderr)).toMatch(
        /^hzl: cannot coordinate through the remote 'origin' \(the remote spoke no git\); /,
      );
      git(clone, 'remote', 'set-url', 'origin', `git://127.0.0.1:${(liar.address() as AddressInfo).port}/r.git`);
      const l = await hzlAsync(clone, ['task', 'claim', '1', '--author', 'a']);
      expect(l.status).toBe(6);
      expect(errors(l.stderr)).toMatch(
        /^hzl: cannot coordinate through the remote 'origin' \(remote error: \\e\[31mred\\x07 x\); /,
      );
      expect(snapshot(clone)).toEqual(before);
    } finally {
      await new Promise((done) => server.close(done));
      await new Promise((done) => liar.close(done));
    }
  });
});
