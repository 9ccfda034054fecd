import { HookError } from './errors.ts';
import { ExitImpl } from './exit.ts';
import { runTransaction } from './transaction.ts';
import { describe } from './validate.ts';
import type { Exit } from './types.ts';

/**
 * Arms every exit in `exits`, or none: a transaction that marks each (see `transaction`). The
 * first exit that cannot change (deregistered, on a sealed or terminated hook) is named in the
 * error. Exits may belong to different hooks of one registry; each affected hook recompiles once.
 */
export function armAll(exits: Iterable<Exit>): void {
  setAll(exits, true, 'armAll');
}

/** Disarms every exit in `exits`, or none; see {@link armAll}. */
export function disarmAll(exits: Iterable<Exit>): void {
  setAll(exits, false, 'disarmAll');
}

function setAll(exits: Iterable<Exit>, on: boolean, what: string): void {
  if (exits === null || typeof exits !== 'object' || typeof exits[Symbol.iterator] !== 'function') {
    throw new HookError('ERR_INVALID_ARG', `${what} takes an iterable of exits, got ${describe(exits)}`);
  }
  runTransaction(what, (tx) => {
    let registry: unknown;
    let index = 0;
    for (const exit of exits) {
      if (!(exit instanceof ExitImpl)) {
        throw new HookError('ERR_INVALID_ARG', `${what}: item ${index} is not an exit (got ${describe(exit)})`);
      }
      const reg = exit._state.registry;
      if (registry === undefined) registry = reg;
      else if (reg !== registry) {
        throw new HookError('ERR_INVALID_ARG', `${what}: exit "${exit.name}" belongs to another registry than the first exit`);
      }
      if (on) tx.arm(exit);
      else tx.disarm(exit); // a duplicate is harmless: arming is idempotent
      index++;
    }
  });
}
