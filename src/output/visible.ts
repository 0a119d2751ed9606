// Text from task files made safe to print for people: the rule and the function live in
// core/printable.ts, one for all of hzl; output code imports them from here.

export { UNSAFE, UNSAFE_IN_JSON, escapeChar, visible } from '../core/printable.js';
