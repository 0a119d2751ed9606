// The tasks folder as `hzl doctor` needs it: every file, with its text, the task when it parses
// and the reason when it is not a task hzl can use (a file whose only fault is its name still
// gives its task, for the other checks).

import { join } from 'node:path';
import { decodeBytes } from '../core/bytes.js';
import { InvalidDataError } from '../core/errors.js';
import { type TaskDoc, parseTaskFile } from '../format/task-file.js';
import { readRegularFileBytes } from './regular-file.js';
import type { ListingSource } from './task-listings.js';

export interface InspectedFile {
  name: string;
  nameId: number;
  path: string;
  file: string;
  text?: string;
  doc?: TaskDoc;
  error?: InvalidDataError;
}

export function inspectFolder(source: ListingSource): InspectedFile[] {
  const out: InspectedFile[] = [];
  for (const [nameId, group] of source.folder.byId()) {
    for (const name of group) {
      const path = join(source.project.tasksDir, name);
      const file = join(source.label, name);
      // Read once, as a regular file only; what cannot be read is reported by load() below.
      let bytes: Buffer | undefined;
      try {
        bytes = readRegularFileBytes(path);
      } catch {
        bytes = undefined;
      }
      const text = bytes && decodeBytes(bytes);
      try {
        const { doc } = source.load(name, bytes);
        out.push({ name, nameId, path, file, text, doc });
      } catch (err) {
        if (!(err instanceof InvalidDataError)) throw err;
        out.push({ name, nameId, path, file, text, doc: parsedOrNot(text, file), error: err });
      }
    }
  }
  return out.sort((a, b) => a.nameId - b.nameId || a.name.localeCompare(b.name));
}

function parsedOrNot(text: string | undefined, file: string): TaskDoc | undefined {
  try {
    return text === undefined ? undefined : parseTaskFile(text, file);
  } catch {
    return undefined; // malformed: load() said why
  }
}
