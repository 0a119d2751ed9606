// Records on the shared remote are written by any clone, or by anyone with push access: a claim
// record with terminal escapes in its fields must reach no reader's terminal or agent context raw.

import { describe, expect, it } from 'vitest';
import { cloneOf, commitAll, team } from './clone-helpers.js';
import { git, hzl, runInProcess } from './helpers.js';

runInProcess();

const AT = (iso: string, author = 'agent') => ({ env: { HZL_NOW: iso, HZL_AUTHOR: author } });
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('a forged claim record on the remote', () => {
  it('shows no raw control characters in list, show, prime, prime --hook or sync', async () => {
    const { first, bare } = await team(0);
    expect(hzl(first, ['task', 'add', 'Shared'], AT('2024-01-01T09:00:00Z')).status).toBe(0);
    commitAll(first, 'tasks');
    git(first, 'push', '-q', 'origin', 'main');
    const other = cloneOf(bare);
    const body = 'author: eve\u001b[31m\nsince: \u001b]0;pwned\u0007\nlease_until: \u001b[2J2099\nclone: x\u0007y';
    const oid = git(other, 'commit-tree', EMPTY_TREE, '-m', 'hzl claim #1', '-m', body).trim();
    git(other, 'push', '-q', 'origin', `${oid}:refs/hzl/claims/1`);
    for (const args of [
      ['task', 'list'],
      ['task', 'show', '1'],
      ['prime'],
      ['prime', '--hook'],
      ['sync'],
      ['task', 'claim', '1'],
    ]) {
      const r = hzl(first, args, AT('2024-01-01T10:00:00Z'));
      expect(`${r.stdout}${r.stderr}`, args.join(' ')).not.toMatch(RAW_CONTROL);
    }
    const claim = hzl(first, ['task', 'claim', '1'], AT('2024-01-01T10:00:00Z'));
    expect(claim.status).toBe(4);
    expect(claim.stderr).toContain('eve\\e[31m');
  }, 60_000);
});
