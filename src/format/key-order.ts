// The keys of a task's front-matter in the order hzl writes them: its own module, so that the
// front-matter writer and the simple reader it uses can both import it without a cycle.

export const KEY_ORDER = [
  'id',
  'title',
  'status',
  'priority',
  'author',
  'handoff_to',
  'tags',
  'depends_on',
  'parent',
  'lease_until',
  'created',
  'updated',
] as const;
