import { HookError } from './errors.ts';
import { ExitImpl } from './exit.ts';
import { applyArmed, checkArmable, type HookState } from './hook-state.ts';
import { describe } from './validate.ts';
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
  const groups = groupByHook(exits, what);
  for (const group of groups) {
    try {
      checkArmable(group.state, group.exits, on);
    } catch (error) {
      if (error instanceof HookError) {
        throw new HookError(error.code, `${what}: nothing changed, because ${error.message}`, { cause: error });
      }
      throw error;
    }
  }
  for (const group of groups) applyArmed(group.state, group.exits, on);
}

interface Group {
  readonly state: HookState;
  readonly exits: ExitImpl[];
}

/** Validates the items and groups them by hook (usually one: a short list beats a Map here). */
function groupByHook(exits: Iterable<Exit>, what: string): Group[] {
  if (exits === null || typeof exits !== 'object' || typeof (exits as Iterable<Exit>)[Symbol.iterator] !== 'function') {
    throw new HookError('ERR_INVALID_ARG', `${what} takes an iterable of exits, got ${describe(exits)}`);
  }
  const groups: Group[] = [];
  let registry: unknown;
  let index = 0;
  for (const exit of exits) {
    if (!(exit instanceof ExitImpl)) {
      throw new HookError('ERR_INVALID_ARG', `${what}: item ${index} is not an exit (got ${describe(exit)})`);
    }
    const state = exit._state;
    if (registry === undefined) registry = state.registry;
    else if (state.registry !== registry) {
      throw new HookError('ERR_INVALID_ARG', `${what}: exit "${exit.name}" belongs to another registry than the first exit`);
    }
    let group: Group | undefined;
    for (const g of groups) if (g.state === state) group = g;
    if (group === undefined) groups.push({ state, exits: [exit] });
    else group.exits.push(exit); // a duplicate is harmless: arming is idempotent
    index++;
  }
  return groups;
}
