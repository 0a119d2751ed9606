// Deleted tasks leave a tombstone in `.hzl/deleted/N.yml` (versioned, one small file per id, so
// two branches deleting tasks never conflict): the id is never handed out again, and a reader of
// the pull request sees what went, when and by whom.

import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { dumpYaml } from '../format/yaml.js';
import { writeFileAtomic } from './atomic.js';
import type { Project } from './project.js';

export interface Tombstone {
  id: number;
  title: string;
  deleted: string; // UTC stamp
  by: string;
  checkpoints: number;
}

export function tombstoneDir(project: Project): string {
  return join(project.hzlDir, 'deleted');
}

export function tombstonePath(project: Project, id: number): string {
  return join(tombstoneDir(project), `${id}.yml`);
}

export function writeTombstone(project: Project, stone: Tombstone): string {
  const path = tombstonePath(project, stone.id);
  mkdirSync(tombstoneDir(project), { recursive: true });
  const text = `# hzl: task #${stone.id} was deleted; its id is not used again.\n${dumpYaml(stone)}`;
  writeFileAtomic(path, text);
  return path;
}

export function tombstoneIds(project: Project): number[] {
  const dir = tombstoneDir(project);
  if (!existsSync(dir)) return [];
  const ids: number[] = [];
  for (const name of readdirSync(dir)) {
    const m = /^(\d{1,9})\.yml$/.exec(name);
    if (m) ids.push(Number(m[1]));
  }
  return ids;
}
