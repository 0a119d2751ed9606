// The one js-yaml engine hzl uses: dates and yes/on stay strings; output never folds lines.

import yaml from 'js-yaml';
import { displayText } from '../core/bytes.js';

const SCHEMA = yaml.CORE_SCHEMA;

export function loadYaml(text: string): unknown {
  // Bytes that are not UTF-8 load as U+FFFD (js-yaml refuses the lone surrogates they are held
  // as); the lines themselves keep them, and are rewritten only when their key changes.
  return yaml.load(displayText(text), { schema: SCHEMA });
}

/** `key: value` lines for one top-level key, each ending in a newline. */
export function dumpYamlEntry(key: string, value: unknown): string {
  return yaml.dump({ [key]: value }, { schema: SCHEMA, lineWidth: -1, noRefs: true, flowLevel: 1 });
}

export function dumpYaml(value: object): string {
  return yaml.dump(value, { schema: SCHEMA, lineWidth: -1, noRefs: true });
}

export function yamlErrorLine(err: unknown): { line: number; reason: string } | undefined {
  if (err instanceof yaml.YAMLException) {
    return { line: err.mark?.line ?? 0, reason: err.reason || 'invalid YAML' };
  }
  return undefined;
}
