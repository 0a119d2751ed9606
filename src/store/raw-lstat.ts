// A listing's `lstat` of every task file without Node 20's Stats objects. Node 20's `lstatSync`
// builds a Stats object and four Dates for each call (later versions make the Dates lazily): at
// 10,000 files that is ~25 ms and most of a warm listing's garbage, about as much as the system
// calls themselves. Its own fs binding, which `lstatSync` calls, returns the numbers in one
// reused Float64Array. Internal, so used only where it was checked: on Node 20, not under the
// permission model (which the binding would bypass), not on Windows, and only once a run's first
// answer matched `lstatSync` field for field; anywhere else, and for any file it fails on,
// `lstatSync` (docs/decisions.md, "Warm listings").

import { lstatSync } from 'node:fs';

/** The stamp of one file: [isFile ? 1 : 0, size, mtimeMs, ctimeMs, ino]; throws as `lstatSync` does. */
export type Lstat = (path: string) => readonly [number, number, number, number, number];

type Binding = { lstat?: (path: string, bigint: false, req: undefined, throwIfNoEntry: true) => unknown };

// Where Node 20's binding puts each field (src/node_file.h, FillStatsArray).
const MODE = 1;
const INO = 7;
const SIZE = 8;
const MTIME_S = 12;
const CTIME_S = 14;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;

/** What `lstatSync` gives, in the same form. */
export const publicLstat: Lstat = (path) => {
  const st = lstatSync(path);
  return [st.isFile() ? 1 : 0, st.size, st.mtimeMs, st.ctimeMs, st.ino];
};

/** The binding's lstat where it can be used, after checking it against `lstatSync` on `probe`; else `publicLstat`. */
export function fastLstat(probe: string): Lstat {
  const raw = bindingLstat();
  if (!raw) return publicLstat;
  try {
    const [a, b] = [raw(probe), publicLstat(probe)];
    return a.every((v, i) => v === b[i]) ? raw : publicLstat;
  } catch {
    return publicLstat; // the probe went meanwhile, or the binding is not what it was
  }
}

function bindingLstat(): Lstat | undefined {
  const underPermissions = (process as { permission?: unknown }).permission !== undefined;
  // Not on Windows, where lstatSync first makes the path a namespaced one (`\\?\`).
  if (!process.versions.node.startsWith('20.') || underPermissions || process.platform === 'win32') return undefined;
  let binding: Binding;
  const quiet = process.noDeprecation;
  try {
    process.noDeprecation = true; // no warning under --pending-deprecation: it would reach stderr
    binding = (process as unknown as { binding(name: string): Binding }).binding('fs');
  } catch {
    return undefined;
  } finally {
    process.noDeprecation = quiet;
  }
  const lstat = binding.lstat;
  if (typeof lstat !== 'function') return undefined;
  const mine = new Float64Array(5);
  return (path) => {
    const v = lstat.call(binding, path, false, undefined, true);
    if (!(v instanceof Float64Array) || v.length < CTIME_S + 2) throw new Error('not a stat array');
    mine[0] = (v[MODE]! & S_IFMT) === S_IFREG ? 1 : 0;
    mine[1] = v[SIZE]!;
    mine[2] = msOf(v[MTIME_S]!, v[MTIME_S + 1]!);
    mine[3] = msOf(v[CTIME_S]!, v[CTIME_S + 1]!);
    mine[4] = v[INO]!;
    return mine as unknown as readonly [number, number, number, number, number];
  };
}

/** Seconds and nanoseconds as milliseconds, computed as Node's Stats does, to the last bit. */
function msOf(seconds: number, nanoseconds: number): number {
  return seconds * 1e3 + nanoseconds / 1e6;
}
