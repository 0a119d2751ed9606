// Task ids: what hzl accepts when reading (1 to 9 digits) and what it hands out to new tasks.
// Numbering counts only ids up to a ceiling far above any real backlog, so that one file or
// branch holding a huge id cannot push every later id out of range.

import { InvalidDataError } from './errors.js';

/**
 * The highest id hzl hands out. Ids above it (up to 999999999, the nine digits hzl reads) are
 * accepted in files and arguments but do not count for numbering.
 */
export const ID_CEILING = 1_000_000;

export interface IdSource {
  where: string; // for messages: `.hzl/tasks`, `git history`, …
  ids: Iterable<number>;
}

export interface IgnoredId {
  id: number;
  where: string;
}

export function countsForNumbering(id: number): boolean {
  return Number.isSafeInteger(id) && id >= 1 && id <= ID_CEILING;
}

/** One more than the highest counted id of every source, and the ids passed over (to warn about). */
export function nextTaskId(sources: IdSource[]): { id: number; ignored: IgnoredId[] } {
  let highest = 0;
  let highestWhere = '';
  const ignored: IgnoredId[] = [];
  for (const { where, ids } of sources) {
    for (const id of ids) {
      if (countsForNumbering(id)) {
        if (id > highest) [highest, highestWhere] = [id, where];
      } else if (id > ID_CEILING) ignored.push({ id, where });
    }
  }
  if (highest >= ID_CEILING) {
    throw new InvalidDataError(
      `no task id is left to hand out: ids already reach ${ID_CEILING} (in ${highestWhere}), ` +
        'the highest hzl numbers new tasks up to; ' +
        'a task with such a number is usually a mistake: remove or renumber it by hand',
    );
  }
  return { id: highest + 1, ignored };
}

/** One warning per place that held ids above the ceiling, naming the highest. */
export function ignoredIdWarnings(ignored: IgnoredId[]): string[] {
  const byPlace = new Map<string, number[]>();
  for (const { id, where } of ignored) byPlace.set(where, [...(byPlace.get(where) ?? []), id]);
  return [...byPlace].map(([where, ids]) => {
    const highest = ids.reduce((a, b) => Math.max(a, b));
    const more = ids.length > 1 ? ` (and ${ids.length - 1} more)` : '';
    return `task id ${highest}${more} in ${where} is above ${ID_CEILING}: not counted when numbering new tasks`;
  });
}
