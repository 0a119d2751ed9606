// `folder.index`: the tasks folder's file names and who names which parent, with the folder's
// mtime, in the worktree's cache dir. Single-task lookups (`read`, `has`, subtasks) use it while
// the folder keeps that mtime, instead of listing 10,000 names; anything missing or doubtful falls
// back to a listing. A listing of a quiet folder saves it; hzl's own writes carry it forward
// (folder-index-writes.ts). docs/decisions.md says what it cannot see.
//
// One line each, so that a lookup is a string search, not a parse of 10,000 entries:
//   hzl folder index 2 <generation>
//   n<TAB><file name>                                   every task file name, as the folder lists it
//   c<TAB><parent><TAB><file name><TAB><JSON payload>   a file that names a parent
//   end                                                 (a cut file is as good as none)
// The folder mtime it holds for is in `folder.stamp` (`hzl folder stamp 2 <generation> <mtimeMs>`),
// so that a write whose file names no parent rewrites a line, not the 420 KB of 10,000 names.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Status, isStatus, taskIdOfFileName } from '../core/task.js';
import { writeFileAtomic } from './atomic.js';
import { readRegularFile, readRegularFileBytes } from './regular-file.js';
import type { FileStamp } from './stamped-cache.js';
import { uniqueHex } from './unique.js';

/** A subtask as `show` and `complete` need it. */
export interface Child {
  id: number;
  status: Status;
  title: string;
}

/**
 * A task that names a parent, with the stamp of its file when it was read. `verify`: the stamp was
 * taken within a clock tick of the file's last change (always so for a row a write carried
 * forward), so the same stamp does not prove the same bytes: the file is read again.
 */
export interface ChildRow extends Child {
  name: string;
  parent: number;
  stamp: FileStamp;
  verify: boolean;
}

export const FOLDER_INDEX_FILE = 'folder.index';
const STAMP_FILE = 'folder.stamp';
const HEADER = 'hzl folder index 2 ';
const STAMP = 'hzl folder stamp 2 ';
const END = 'end\n';

/** Which index holds for which folder mtime. */
export interface FolderStamp {
  generation: string;
  folderMtimeMs: number;
}

/**
 * The index as saved (`bytes`: the whole file, searched as bytes: decoding 420 KB as UTF-8 would
 * cost more than the search), and the folder mtime it holds for.
 */
export interface FolderIndex extends FolderStamp {
  bytes: Buffer;
}

/** The saved stamp, or undefined when it is missing, corrupt or of another version. */
export function readFolderStamp(cacheDir: string): FolderStamp | undefined {
  let text: string;
  try {
    text = readRegularFile(join(cacheDir, STAMP_FILE));
  } catch {
    return undefined;
  }
  const m = /^hzl folder stamp 2 ([0-9a-f]{12}) ([0-9.]+)\n$/.exec(text);
  const folderMtimeMs = Number(m?.[2]);
  return m && Number.isFinite(folderMtimeMs) ? { generation: m[1]!, folderMtimeMs } : undefined;
}

/** The saved index of `stamp`'s generation, or undefined when it is missing, cut, corrupt or another. */
export function loadFolderIndex(cacheDir: string, stamp = readFolderStamp(cacheDir)): FolderIndex | undefined {
  if (!stamp) return undefined;
  let bytes: Buffer;
  try {
    bytes = readRegularFileBytes(join(cacheDir, FOLDER_INDEX_FILE));
  } catch {
    return undefined;
  }
  const header = Buffer.from(`${HEADER}${stamp.generation}\n`);
  const whole = bytes.subarray(0, header.length).equals(header) && bytes.subarray(-END.length - 1).equals(CLOSE);
  return whole ? { ...stamp, bytes } : undefined;
}

const CLOSE = Buffer.from(`\n${END}`);

/** The lines after the header, `end` included. */
function bodyOf(index: FolderIndex): string {
  return index.bytes.toString('utf8', index.bytes.indexOf(10) + 1);
}

/**
 * Saves `body` as the index for a folder with mtime `folderMtimeMs`: only the stamp when `current`
 * has that body already, else the index (a new generation), then the stamp. The saved index, or
 * undefined when it could not be saved (harmless: lookups list the folder).
 */
export function saveFolderIndex(
  cacheDir: string,
  body: string,
  folderMtimeMs: number,
  current: FolderIndex | undefined,
): FolderIndex | undefined {
  const same = current !== undefined && bodyOf(current) === body;
  if (same && current.folderMtimeMs === folderMtimeMs) return current;
  const generation = same ? current.generation : uniqueHex();
  const bytes = same ? current.bytes : Buffer.from(`${HEADER}${generation}\n${body}`);
  try {
    mkdirSync(cacheDir, { recursive: true });
    if (!same) writeFileAtomic(join(cacheDir, FOLDER_INDEX_FILE), bytes);
    writeFileAtomic(join(cacheDir, STAMP_FILE), `${STAMP}${generation} ${folderMtimeMs}\n`);
  } catch {
    return undefined; // read-only, disk full: the next listing tries again
  }
  return { generation, folderMtimeMs, bytes };
}

/** The file names the index holds for `id` (none: not there when it was saved). */
export function indexedNames(index: FolderIndex, id: number): string[] {
  const names = linesAfter(index.bytes, `\nn\t${id}-`).map((rest) => `${id}-${rest}`);
  if (index.bytes.includes(`\nn\t${id}.md\n`)) names.push(`${id}.md`);
  return names.filter((name) => taskIdOfFileName(name) === id);
}

/** The rows of the files that named `parent`, or undefined when one of them does not decode. */
export function indexedChildren(index: FolderIndex, parent: number): ChildRow[] | undefined {
  const rows: ChildRow[] = [];
  for (const line of linesAfter(index.bytes, `\nc\t${parent}\t`)) {
    const row = decodeChild(parent, line);
    if (!row) return undefined;
    rows.push(row);
  }
  return rows;
}

/** The rest of every line that starts with `marker` (which begins with the line break before it). */
function linesAfter(bytes: Buffer, marker: string): string[] {
  const found: string[] = [];
  const length = Buffer.byteLength(marker);
  for (let at = bytes.indexOf(marker); at !== -1; at = bytes.indexOf(marker, at + 1)) {
    const start = at + length; // a line break is one byte, never inside a UTF-8 character
    found.push(bytes.toString('utf8', start, bytes.indexOf(10, start)));
  }
  return found;
}

function decodeChild(parent: number, line: string): ChildRow | undefined {
  const tab = line.indexOf('\t');
  if (tab === -1) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(line.slice(tab + 1));
  } catch {
    return undefined;
  }
  if (!Array.isArray(payload) || payload.length !== 8) return undefined;
  const [size, mtimeMs, ctimeMs, ino, id, status, title, verify] = payload as unknown[];
  const numbers = [size, mtimeMs, ctimeMs, ino, id].every((n) => typeof n === 'number');
  if (!numbers || !isStatus(status) || typeof title !== 'string' || typeof verify !== 'boolean') return undefined;
  const stamp = { size, mtimeMs, ctimeMs, ino } as FileStamp;
  return { name: line.slice(0, tab), parent, id: id as number, status, title, stamp, verify };
}

/**
 * The body of an index of `names` and `rows`; undefined when a name cannot be one line (a tab or
 * a line break in it): then there is no index.
 */
export function renderFolderIndex(names: string[], rows: ChildRow[]): string | undefined {
  if (names.some((name) => /[\t\n\r]/.test(name))) return undefined;
  return [...names.map((name) => `n\t${name}\n`), ...rows.map((row) => `${childLine(row)}\n`), END].join('');
}

function childLine(row: ChildRow): string {
  const { size, mtimeMs, ctimeMs, ino } = row.stamp;
  const payload = [size, mtimeMs, ctimeMs, ino, row.id, row.status, row.title, row.verify];
  return `c\t${row.parent}\t${row.name}\t${JSON.stringify(payload)}`;
}

/**
 * The carry-forward rule: `index` held until this write, which replaced (or, `added`, created)
 * the file `name`. The names stay as they were plus `name`; the file's child row is dropped and,
 * when it names a parent now, `row` put in. The new body, or undefined for a name that cannot
 * be one line.
 */
export function carriedForward(
  index: FolderIndex,
  name: string,
  row: ChildRow | undefined,
  added: boolean,
): string | undefined {
  if (/[\t\n\r]/.test(name)) return undefined;
  const old = bodyOf(index);
  let body = withoutChildLine(old.slice(0, old.length - END.length), name);
  if (added && !`\n${body}`.includes(`\nn\t${name}\n`)) body += `n\t${name}\n`;
  if (row) body += `${childLine(row)}\n`;
  return body + END;
}

/** The body without the file `name` (its name line and its child line): it was removed. */
export function withoutFile(index: FolderIndex, name: string): string {
  const body = withoutChildLine(bodyOf(index), name);
  const line = `n\t${name}\n`;
  const at = `\n${body}`.indexOf(`\n${line}`);
  return at === -1 ? body : body.slice(0, at) + body.slice(at + line.length);
}

/** `body` without the child line of `name` (the name is the third field: `c`, parent, name). */
function withoutChildLine(body: string, name: string): string {
  const field = `\t${name}\t`;
  for (let at = body.indexOf(field); at !== -1; at = body.indexOf(field, at + 1)) {
    const start = body.lastIndexOf('\n', at) + 1;
    if (!/^c\t\d+$/.test(body.slice(start, at))) continue; // a name line, or inside a payload: not it
    const end = body.indexOf('\n', at);
    return body.slice(0, start) + body.slice(end + 1);
  }
  return body;
}
