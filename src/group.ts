import { HookError } from './errors.ts';
import { ExitImpl } from './exit.ts';
import type { HookImpl } from './hook.ts';
import { describe } from './order.ts';
import type { Exit } from './types.ts';

/**
 * Arms every exit in `exits`, or none: each is checked first (a deregistered exit, a sealed or
 * terminated hook), and the first that cannot change is named in the error. Exits may belong to
 * different hooks of one registry; each affected hook recompiles once.
 */
export function armAll(exits: Iterable<Exit>): void {
  setAll(exits, true, 'armAll');
}

/** Disarms every exit in `exits`, or none; see {@link armAll}. */
export function disarmAll(exits: Iterable<Exit>): void {
  setAll(exits, false, 'disarmAll');
}

function setAll(exits: Iterable<Exit>, on: boolean, what: string): void {
  const byHook = groupByHook(exits, what);
  for (const [hook, group] of byHook) {
    try {
      hook._checkArmable(group, on);
    } catch (error) {
      if (error instanceof HookError) {
        throw new HookError(error.code, `${what}: nothing changed, because ${error.message}`, { cause: error });
      }
      throw error;
    }
  }
  for (const [hook, group] of byHook) hook._setArmed(group, on);
}

function groupByHook(exits: Iterable<Exit>, what: string): Map<HookImpl, ExitImpl[]> {
  if (exits === null || typeof exits !== 'object' || typeof (exits as Iterable<Exit>)[Symbol.iterator] !== 'function') {
    throw new HookError('ERR_INVALID_ARG', `${what} takes an iterable of exits, got ${describe(exits)}`);
  }
  const byHook = new Map<HookImpl, ExitImpl[]>();
  let registry: unknown;
  let index = 0;
  for (const exit of exits) {
    if (!(exit instanceof ExitImpl)) {
      throw new HookError('ERR_INVALID_ARG', `${what}: item ${index} is not an exit (got ${describe(exit)})`);
    }
    if (registry === undefined) registry = exit.hook.registry;
    else if (exit.hook.registry !== registry) {
      throw new HookError('ERR_INVALID_ARG', `${what}: exit "${exit.name}" belongs to another registry than the first exit`);
    }
    const group = byHook.get(exit.hook);
    if (group) {
      if (!group.includes(exit)) group.push(exit);
    } else byHook.set(exit.hook, [exit]);
    index++;
  }
  return byHook;
}
