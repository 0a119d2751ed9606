// Reading many tasks at once, for listings, search and subtasks: from the caches where a file is
// unchanged (stamped-cache.ts), else parsed. Writes never come through here.

import { InvalidDataError } from '../core/errors.js';
import { type ListedChild, saveListedIndex } from './indexed-folder.js';
import type { Project } from './project.js';
import { SearchIndex, type SearchRecord } from './search-index.js';
import type { FileStamp } from './stamped-cache.js';
import { NotesIndex, SummaryIndex, type TaskListing, type TaskSummary, listingOf, summarize } from './summary-index.js';
import type { TaskFolder } from './task-folder.js';
import type { StoredTask } from './task-store.js';

/** What listings need of the store: where the files are, and how one is read and checked. */
export interface ListingSource {
  project: Project;
  folder: TaskFolder;
  label: string; // the tasks folder as messages name it
  /** `bytes`: the file's, read already as a regular file. */
  load(name: string, bytes?: Buffer): StoredTask;
}

type Problems = InvalidDataError[];

/** Files read at once for a listing: enough to make the reads cheap, few enough to hold. */
const READ_BATCH = 256;

/** Runs `read`, keeping an unreadable file's error as a problem (anything else is a bug). */
function orProblem<T>(problems: Problems, read: () => T): T | undefined {
  try {
    return read();
  } catch (err) {
    if (err instanceof InvalidDataError) problems.push(err);
    else throw err;
    return undefined;
  }
}

/**
 * The tasks whose title, description or a checkpoint may contain `needle` (lower-cased), whole.
 * The search index rules out most files without reading them, and holds the parsed task of those
 * that may match.
 */
export function searchTasks(src: ListingSource, needle: string) {
  const index = new SearchIndex(src.project.cacheDir);
  const tasks: Array<SearchRecord & { file: string }> = [];
  const problems: Problems = [];
  const present = src.folder.eachStamped((name, stamp) => {
    const text = stamp && index.text(name, stamp);
    if (text !== undefined && !text.includes(needle)) return;
    const record = text !== undefined ? index.record(name) : undefined;
    if (record) {
      tasks.push({ ...record, file: `${src.label}/${name}` });
      return;
    }
    const stored = orProblem(problems, () => src.load(name));
    if (!stored) return;
    if (stamp) index.set(name, stamp, stored.doc);
    tasks.push({ task: stored.doc.task, extra: stored.doc.extra, file: stored.file });
  });
  index.save(present);
  tasks.sort((a, b) => a.task.id - b.task.id);
  return { tasks, problems };
}

/**
 * Every task that parses, as listings or, with `notes`, whole summaries. A listing of a folder
 * that had been quiet also saves the folder index: names, and who names which parent (indexed-folder.ts).
 */
export function listTasks(
  src: ListingSource,
  options: { notes?: boolean },
): { tasks: TaskListing[]; problems: Problems } {
  const stampedAt = Date.now();
  const index = new SummaryIndex(src.project.cacheDir);
  const notes = options.notes ? new NotesIndex(src.project.cacheDir) : undefined;
  const tasks: TaskListing[] = [];
  const children: ListedChild[] = [];
  const problems: Problems = [];
  const add = (name: string, stamp: FileStamp | undefined, task: TaskListing) => {
    tasks.push(task);
    if (stamp && task.parent !== undefined) {
      const { id, status, title, parent } = task;
      children.push({ name, stamp: { ...stamp }, task: { id, status, title, parent } });
    }
  };
  const misses: Array<{ name: string; stamp: FileStamp | undefined; listed: boolean }> = [];
  const present = src.folder.eachStamped((name, stamp) => {
    const listing = stamp && index.get(name, stamp, `${src.label}/${name}`);
    const noted = listing && notes?.get(name, stamp!);
    if (listing && (!notes || noted)) add(name, stamp, noted ? Object.assign(listing, noted) : listing);
    else misses.push({ name, stamp: stamp && { ...stamp }, listed: listing !== undefined });
  });
  // The files to parse are read in batches from inside the folder (task-folder.ts says why).
  for (let from = 0; from < misses.length; from += READ_BATCH) {
    const batch = misses.slice(from, from + READ_BATCH);
    const bytes = src.folder.readEach(batch.map((m) => (m.stamp ? m.name : undefined)));
    batch.forEach(({ name, stamp, listed }, i) => {
      const caches = { index: listed ? undefined : index, notes };
      const task = orProblem(problems, () => summarizeFile(src, name, stamp, caches, bytes[i]));
      if (task) add(name, stamp, task);
    });
  }
  index.save(present);
  notes?.save(present);
  saveListedIndex(src.project.cacheDir, src.folder, children, stampedAt);
  tasks.sort((a, b) => a.id - b.id);
  return { tasks, problems };
}

/** Parses one task file into a listing (a summary, with `notes`), and puts its rows in the caches given. */
function summarizeFile(
  src: ListingSource,
  name: string,
  stamp: FileStamp | undefined,
  caches: { index?: SummaryIndex | undefined; notes?: NotesIndex | undefined },
  bytes: Buffer | undefined,
): TaskListing {
  const stored = src.load(name, bytes);
  // Without notes, nothing of the parsed file is kept but the listing.
  const summary = caches.notes ? summarize(stored.doc, stored.file) : listingOf(stored.doc.task, stored.file);
  if (stamp) caches.index?.set(name, stamp, summary);
  if (stamp) caches.notes?.set(name, stamp, summary as TaskSummary);
  return summary;
}
