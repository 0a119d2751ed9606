// A remote that accepts the connection and then says nothing (a proxy or VPN gone quiet): reads
// give up after a bounded time with a warning; nothing hangs.

import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { errors, team } from './clone-helpers.js';
import { git, hzlAsync, snapshot } from './helpers.js';

const servers: Server[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const s of servers.splice(0)) await new Promise((done) => s.close(done));
});

/** A TCP server on 127.0.0.1 that takes every connection and never answers. */
async function silentServer(): Promise<number> {
  const server = createServer((socket) => sockets.push(socket));
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return (server.address() as AddressInfo).port;
}

/** A clone of a team whose `origin` now points at a silent server; `task` added offline first. */
async function cloneOfSilentRemote(task?: string): Promise<string> {
  const { clones } = await team(1);
  const clone = clones[0]!;
  if (task) {
    const add = await hzlAsync(clone, ['task', 'add', task, '--offline']);
    expect(add.status, add.stderr).toBe(0);
  }
  const port = await silentServer();
  git(clone, 'remote', 'set-url', 'origin', `git://127.0.0.1:${port}/remote.git`);
  return clone;
}

describe('a remote that never answers', () => {
  it('task list gives up on the claims after HZL_REMOTE_TIMEOUT_MS, warns once, and lists', async () => {
    const clone = await cloneOfSilentRemote();
    const r = await hzlAsync(clone, ['task', 'list'], { env: { HZL_REMOTE_TIMEOUT_MS: '500' } });
    expect(r.status).toBe(0);
    expect(errors(r.stderr)).toMatch(/remote 'origin' \(no answer in 0\.5 s\)/);
  });

  it('a claim there exits 6 naming the remote, and writes nothing', async () => {
    const clone = await cloneOfSilentRemote('One');
    const before = snapshot(clone);
    const r = await hzlAsync(clone, ['task', 'claim', '--next', '--author', 'a'], {
      env: { HZL_REMOTE_TIMEOUT_MS: '500' },
    });
    expect(r.status).toBe(6);
    expect(errors(r.stderr)).toMatch(/^hzl: cannot coordinate through the remote 'origin' \(no answer in 0\.5 s\)/);
    expect(snapshot(clone)).toEqual(before);
  });

  it('a claim or an add whose push gets no answer stops, exits 6 saying it may have landed, and writes nothing', async () => {
    const clone = await cloneOfSilentRemote('One');
    const before = snapshot(clone);
    const env = { env: { HZL_REMOTE_TIMEOUT_MS: '250' } };
    for (const args of [
      ['task', 'claim', '1', '--author', 'a'],
      ['task', 'add', 'Two', '--author', 'a'],
    ]) {
      const r = await hzlAsync(clone, args, env);
      expect(r.status, args.join(' ')).toBe(6);
      expect(errors(r.stderr)).toMatch(
        /^hzl: cannot coordinate through the remote 'origin' \(no answer in 1 s; the ref/,
      );
      expect(snapshot(clone)).toEqual(before);
    }
  });
});
