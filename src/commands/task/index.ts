// The `hzl task …` commands, in the order help lists them.

import type { CommandSpec } from '../spec.js';
import { addCommand } from './add.js';
import { blockCommand } from './block.js';
import { checkpointCommand } from './checkpoint.js';
import { claimCommand } from './claim.js';
import { completeCommand } from './complete.js';
import { deleteCommand } from './delete.js';
import { editCommand } from './edit.js';
import { handoffCommand } from './handoff.js';
import { historyCommand } from './history.js';
import { listCommand } from './list.js';
import { searchCommand } from './search.js';
import { showCommand } from './show.js';
import { stealCommand } from './steal.js';
import { stuckCommand } from './stuck.js';
import { archiveCommand, releaseCommand, reopenCommand, unblockCommand } from './status-changes.js';
import { updateCommand } from './update.js';

export const TASK_COMMANDS = [
  addCommand,
  listCommand,
  showCommand,
  claimCommand,
  checkpointCommand,
  completeCommand,
  handoffCommand,
  releaseCommand,
  blockCommand,
  unblockCommand,
  reopenCommand,
  archiveCommand,
  updateCommand,
  editCommand,
  deleteCommand,
  historyCommand,
  stuckCommand,
  stealCommand,
  searchCommand,
] as unknown as CommandSpec[];
