// `hzl doctor`'s checks for what no command would write (core/integrity.ts), worded as findings:
// links in a cycle or to the task itself, control characters, ids beyond 9 digits. None is fixed
// by --fix: each needs a person to say which link or which text is right.

import { type LinkField, controlCharacters, linkCycles, oversizedIds, selfLinks } from '../core/integrity.js';
import type { Task } from '../core/task.js';
import { namesWithLongIds } from '../store/long-ids.js';
import { type Finding, problem as finding } from '../core/findings.js';

/** A parsed task file: its task and the file as messages name it. */
export interface CheckedFile {
  file: string;
  nameId: number;
  task: Task;
}

export function integrityProblems(files: CheckedFile[], tasksDir: string, tasksLabel: string): Finding[] {
  const tasks = files.map((f) => f.task);
  return [
    ...longIdFiles(tasksDir, tasksLabel),
    ...files.flatMap(oversized),
    ...selfLinks(tasks).map(selfLink),
    ...(['depends_on', 'parent'] as const).flatMap((field) =>
      linkCycles(tasks, field).map((cycle) => cycleFinding(cycle, field)),
    ),
    ...files.flatMap(controls),
  ];
}

function problem(code: string, message: string, file?: string): Finding {
  return finding(code, message, file ? { file } : {});
}

function longIdFiles(tasksDir: string, label: string): Finding[] {
  return namesWithLongIds(tasksDir).map((name) =>
    problem(
      'id-too-large',
      `${label}/${name}: its id has more than 9 digits, so hzl does not see this file: ` +
        'rename it to the next free id and change its id: line to match',
      `${label}/${name}`,
    ),
  );
}

function oversized(f: CheckedFile): Finding[] {
  return oversizedIds(f.task).map(({ field, value }) =>
    field === 'id'
      ? problem(
          'id-too-large',
          `${f.file}: its id ${value} has more than 9 digits: set it back to ${f.nameId}, as its name says`,
          f.file,
        )
      : problem(
          'id-too-large',
          `${f.file}: ${field} names #${value}, more than 9 digits: ` +
            `'hzl task update ${f.nameId} --${field === 'parent' ? 'parent' : 'depends-on'} …' to fix it`,
          f.file,
        ),
  );
}

function selfLink({ id, field }: { id: number; field: LinkField }): Finding {
  return field === 'parent'
    ? problem('self-link', `task #${id} is its own parent: 'hzl task update ${id} --parent ""' to clear it`)
    : problem('self-link', `task #${id} depends on itself: 'hzl task update ${id} --depends-on …' without ${id}`);
}

function cycleFinding(cycle: number[], field: LinkField): Finding {
  const path = cycle.map((id) => `#${id}`).join(' → ');
  const [first] = cycle;
  return field === 'parent'
    ? problem(
        'cycle',
        `tasks ${path} are each other's parents: 'hzl task update ${first} --parent …' to break the cycle`,
      )
    : problem(
        'cycle',
        `tasks ${path} depend on each other, so none can start: ` +
          `'hzl task update ${first} --depends-on …' to break the cycle`,
      );
}

function controls(f: CheckedFile): Finding[] {
  const id = f.task.id;
  return controlCharacters(f.task).map(({ field, char }) => {
    const what = field === 'tags' ? 'its tags contain' : `its ${field} contains`;
    const flag = field === 'title' ? '--title' : field === 'description' ? '--description' : undefined;
    const todo = flag ? `'hzl task update ${id} ${flag} …' to replace it` : `edit ${f.file} to remove it`;
    return problem('control-characters', `task #${id}: ${what} a control character (${char}): ${todo}`, f.file);
  });
}
