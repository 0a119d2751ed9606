// The doctor check for one id in two files (separate clones merged): --fix keeps the
// earlier-created and renumbers the others, agreeing the new number through the remote if any.

import { ConflictError } from '../core/errors.js';
import { type Finding, note, problem } from '../core/findings.js';
import { mentionsOf } from '../core/health.js';
import type { Task } from '../core/task.js';
import { compareStamps } from '../core/time.js';
import { withHistory } from '../core/transitions.js';
import { highestIdInHistory } from '../git/ids.js';
import { idsSeenCache } from '../store/ids-seen.js';
import type { ParsedFile, Visit } from './doctor-checks.js';
import { agreedRenumber, remoteOf } from './remote-coordination.js';

export async function duplicateFindings({ ctx, ws, git, fix, actor, at, parsed, touched }: Visit): Promise<Finding[]> {
  const out: Finding[] = [];
  const byId = new Map<number, ParsedFile[]>();
  for (const f of parsed) byId.set(f.doc.task.id, [...(byId.get(f.doc.task.id) ?? []), f]);
  if (![...byId.values()].some((group) => group.length > 1)) return out;
  const seen =
    fix && git ? await highestIdInHistory(git, ws.project.tasksDir, idsSeenCache(ws.project.stateDir), ctx.env) : 0;
  const remote = fix ? remoteOf(ws.project, ctx.env) : undefined;
  for (const [id, group] of byId) {
    if (group.length < 2) continue;
    group.sort((a, b) => compareStamps(a.doc.task.created, b.doc.task.created) || a.name.localeCompare(b.name));
    const [kept, ...later] = group;
    for (const f of later) {
      if (!fix) {
        const usedBy = `${f.file}: id ${id} is also used by ${kept!.file}`;
        const message = `${usedBy}: run 'hzl doctor --fix' to renumber the later one`;
        out.push(problem('duplicate-id', message, { file: f.file }));
        continue;
      }
      const slug = f.name.replace(/^\d+-?/, '').replace(/\.md$/, '');
      // With a remote, every clone that fixes this duplicate agrees on the same number and line.
      const candidate = { oldId: id, created: f.doc.task.created, candidate: ws.store.nextFreeId(seen) };
      const agreed = remote ? agreedRenumber(remote, ws.project, candidate, { actor, at }) : undefined;
      const act = { actor: agreed?.actor ?? actor, now: agreed?.at ?? at };
      const renumbered = (task: Task, newId: number): Task =>
        withHistory({ ...task, id: newId }, act, 'renumbered', `from #${id} (the same id came from another clone)`);
      const retry = "run 'hzl doctor --fix' again";
      const options = { seenElsewhere: seen, reserved: agreed?.id, retry };
      const moved = ws.store.renumber(f.path, id, renumbered, slug, options);
      if (!moved) throw new ConflictError(`${f.file} changed meanwhile (it is gone): ${retry}`);
      touched.push(moved.path, f.path);
      const message =
        `${f.file}: id ${id} was also used by ${kept!.file}; ` + `renumbered to #${moved.doc.task.id} (${moved.file})`;
      out.push(problem('duplicate-id', message, { file: f.file }, true));
      for (const other of parsed) {
        if (other === f) continue;
        const where = mentionsOf(other.doc.task, id);
        if (!where.length) continue;
        const text =
          `#${other.doc.task.id} mentions #${id} (${where.join(', ')}): ` +
          `check whether it meant '${f.doc.task.title}', now #${moved.doc.task.id}`;
        out.push(note('renumbered-mention', text, other.file));
      }
    }
  }
  return out;
}
