import type { RegisterCommand } from '../context.js';
import { registerDashboard } from './dashboard.js';
import { registerDelete } from './delete.js';
import { registerPrune } from './prune.js';
import { registerPush } from './push.js';
import { registerRules } from './rules.js';
import { registerValidate } from './validate.js';
import { registerWatch } from './watch.js';

/** Every subcommand, in the order --help lists them. A new command is a file beside this one and a line here. */
export const commands: readonly RegisterCommand[] = [registerPush, registerWatch, registerValidate, registerDelete, registerPrune, registerRules, registerDashboard];
