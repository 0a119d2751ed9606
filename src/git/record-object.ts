// A record commit written straight into the clone's object store, as `git commit-tree` would
// write it (a loose object: zlib of "commit <size>\0<text>", named by its SHA-1), without
// starting git: a remote claim or add then runs one git process, the push (docs/clones.md).
// Where the store is not the plain one hzl knows (SHA-256 objects, an object directory set by
// the environment), it answers undefined and the caller runs git. The hash and the zlib stream
// come from loose-object.ts, so that nothing here loads node:crypto or node:zlib.

import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha1Hex, zlibStored } from './loose-object.js';

export const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

/** The text of a commit of the empty tree, with no parent, by `ident`, at `seconds` UTC. */
export function recordText(message: string, ident: string, seconds: number): string {
  const who = `${ident} ${seconds} +0000`;
  return `tree ${EMPTY_TREE}\nauthor ${who}\ncommitter ${who}\n\n${message}`;
}

/** Writes the commit `text` as a loose object of the repository at `commonDir`; its oid, or undefined. */
export function writeCommitObject(commonDir: string, text: string, env: NodeJS.ProcessEnv): string | undefined {
  if (!plainObjectStore(commonDir, env)) return undefined;
  const body = Buffer.from(text, 'utf8');
  const object = Buffer.concat([Buffer.from(`commit ${body.length}\0`), body]);
  const oid = sha1Hex(object);
  const folder = join(commonDir, 'objects', oid.slice(0, 2));
  const path = join(folder, oid.slice(2));
  if (existsSync(path)) return oid;
  try {
    mkdirSync(folder, { recursive: true });
    // Unique enough with the pid; 'wx' refuses to write through a name someone else holds.
    const temp = join(folder, `tmp_obj_hzl_${process.pid}_${Math.random().toString(36).slice(2)}`);
    writeFileSync(temp, zlibStored(object), { mode: 0o444, flag: 'wx' });
    try {
      renameSync(temp, path); // the same bytes whoever wins: an object is named by its content
    } catch (err) {
      rmSync(temp, { force: true });
      throw err;
    }
    return oid;
  } catch {
    return undefined; // a store hzl may not write to: git says why
  }
}

/** SHA-1 objects in `<commonDir>/objects`, as git would find them with no GIT_* overrides. */
function plainObjectStore(commonDir: string, env: NodeJS.ProcessEnv): boolean {
  if (env.GIT_OBJECT_DIRECTORY || env.GIT_DIR || env.GIT_COMMON_DIR || env.GIT_ALTERNATE_OBJECT_DIRECTORIES)
    return false;
  try {
    const config = readFileSync(join(commonDir, 'config'), 'utf8');
    return !/^\s*objectformat\s*=/im.test(config) && existsSync(join(commonDir, 'objects'));
  } catch {
    return false;
  }
}
