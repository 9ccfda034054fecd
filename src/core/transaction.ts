import { HookError } from './errors.ts';
import { ExitImpl } from './exit.ts';
import { HookState, assertChangeable, dropAll, insertExit, rebuild, removeExit, terminatedError } from './hook-state.ts';
import type { HookImpl } from './hook.ts';
import type { AnyHook, Exit } from './types.ts';
import { describe, validateBoolean, validateOptions } from './validate.ts';

/** What the change machinery is doing: nothing, collecting a transaction's marks, or applying a change. */
let phase: 'marking' | 'applying' | null = null;

/**
 * A set of changes that happen together or not at all, inside {@link transaction}. Marking
 * changes nothing: when the body returns, every mark is checked, then all are applied, then each
 * hook they touch is rebuilt (its dispatcher compiled and swapped in) once.
 */
export interface Transaction {
  /** Arms `exit` when the transaction ends. */
  arm(exit: Exit): this;
  /** Disarms `exit` when the transaction ends. */
  disarm(exit: Exit): this;
  /** Deregisters `exit` when the transaction ends (nothing, if it is already deregistered). */
  deregister(exit: Exit): this;
  /** Terminates `hook` when the transaction ends; without `force`, only if it is left with no armed exit. */
  terminate(hook: AnyHook, options?: { force?: boolean }): this;
}

/**
 * Runs `body`, which marks changes on the transaction it is given, then checks every mark and, if
 * all pass, applies them and rebuilds each touched hook once; returns what `body` returned.
 * All or nothing: if a check fails, nothing changed, and the HookError (code of the first problem
 * found, hook by hook in the order they were first marked) says so. If `body` throws, nothing
 * changed either and its error propagates. A dispatch already running keeps its exits; the
 * change applies from the next dispatch on.
 *
 * `body` must be synchronous. Transactions do not nest: while one is open (and while its hooks
 * are rebuilt), any other change — another transaction, `armAll`, `exit.arm()`, `register`,
 * `deregister`, `terminate` — throws ERR_TRANSACTION_OPEN. Mark it on the open transaction instead.
 */
export function transaction<T>(body: (tx: Transaction) => T): T {
  return runTransaction('transaction', body);
}

/**
 * @internal {@link transaction} whose check failures start with `what` (`armAll`, `probe "p"`),
 * for the callers that are transactions under another name.
 */
export function runTransaction<T>(what: string, body: (tx: Transaction) => T): T {
  if (typeof body !== 'function') throw new HookError('ERR_INVALID_ARG', `${what} takes a function, got ${describe(body)}`);
  refuseWhileBusy();
  const tx = new TransactionImpl();
  let result: T;
  phase = 'marking';
  try {
    result = body(tx);
  } finally {
    tx.open = false;
    phase = null;
  }
  if (isThenable(result)) {
    throw new HookError('ERR_INVALID_ARG', `${what}: nothing changed, because the body returned a promise (it must mark its changes synchronously)`);
  }
  commit(tx.touched, what);
  return result;
}

/** Arms or disarms one exit as a transaction of one mark (what `exit.arm()` and `exit.disarm()` do). */
export function setArmed(exit: ExitImpl, on: boolean): void {
  refuseWhileBusy();
  const state = exit._state;
  assertChangeable(state);
  if (!exit._registered) {
    if (on) throw deregisteredError(state, exit);
    return;
  }
  if (exit._armed === on) return;
  exit._armed = on;
  rebuildOne(state);
}

/** Deregisters one exit as a transaction of one mark; an exit already gone is left alone. */
export function deregister(exit: ExitImpl): void {
  if (!exit._registered) return;
  refuseWhileBusy();
  const state = exit._state;
  assertChangeable(state);
  if (removeExit(state, exit)) rebuildOne(state);
}

/** Registers a new exit (already validated against its hook) as a change of its own; rebuilds if it is armed. */
export function register(state: HookState, exit: ExitImpl): void {
  refuseWhileBusy();
  insertExit(state, exit);
  if (exit._armed) rebuildOne(state);
}

/** Terminates one hook as a transaction of one mark. */
export function terminate(state: HookState, force: boolean): void {
  refuseWhileBusy();
  assertChangeable(state);
  if (!force && state.armed.length > 0) throw busyError(state, state.armed);
  end(state);
  rebuildOne(state);
}

/** Throws ERR_TRANSACTION_OPEN if a change is being marked or applied: changes do not nest. */
function refuseWhileBusy(): void {
  if (phase === null) return;
  throw new HookError(
    'ERR_TRANSACTION_OPEN',
    phase === 'marking'
      ? 'a transaction is open: mark this change on it (transactions do not nest)'
      : 'hooks are being rebuilt for a change: another change cannot start from inside it (defer it, e.g. with queueMicrotask)',
  );
}

type Op = 'arm' | 'disarm' | 'deregister' | 'terminate';

/** One hook a transaction touches, with its marks in order (`exits[i]` is null for terminate). */
interface Touched {
  readonly state: HookState;
  readonly ops: Op[];
  readonly exits: (ExitImpl | null)[];
  /** Whether any mark is a deregister or terminate: only then can an exit's fate depend on an earlier mark. */
  removes: boolean;
  /** For terminate without force. */
  busyCheck: boolean;
}

class TransactionImpl implements Transaction {
  /** The touched hooks in the order they were first marked: checks run, and errors are found, in this order. */
  readonly touched: Touched[] = [];
  open = true;
  #last: Touched | null = null;

  arm(exit: Exit): this {
    return this.#mark('arm', exit);
  }

  disarm(exit: Exit): this {
    return this.#mark('disarm', exit);
  }

  deregister(exit: Exit): this {
    return this.#mark('deregister', exit);
  }

  terminate(hook: AnyHook, options?: { force?: boolean }): this {
    this.#assertOpen();
    const state = (hook as { _state?: unknown } | null)?._state;
    if (!(state instanceof HookState) || state.hook !== hook) {
      throw new HookError('ERR_INVALID_ARG', `transaction terminate takes a hook, got ${describe(hook)}`);
    }
    const opts = validateOptions(options, ['force'], 'terminate option');
    const force = validateBoolean(opts['force'], 'terminate option "force"') ?? false;
    const t = this.#touch(state);
    t.ops.push('terminate');
    t.exits.push(null);
    t.removes = true;
    if (!force) t.busyCheck = true;
    return this;
  }

  #mark(op: 'arm' | 'disarm' | 'deregister', exit: unknown): this {
    this.#assertOpen();
    if (!(exit instanceof ExitImpl)) throw new HookError('ERR_INVALID_ARG', `transaction ${op} takes an exit, got ${describe(exit)}`);
    // Like exit.deregister(): deregistering an exit that is gone is nothing, not a change of its hook.
    if (op === 'deregister' && !exit._registered) return this;
    const t = this.#touch(exit._state);
    t.ops.push(op);
    t.exits.push(exit);
    if (op === 'deregister') t.removes = true;
    return this;
  }

  #touch(state: HookState): Touched {
    const last = this.#last;
    if (last !== null && last.state === state) return last;
    let t: Touched | undefined;
    for (const each of this.touched) if (each.state === state) t = each;
    if (t === undefined) {
      t = { state, ops: [], exits: [], removes: false, busyCheck: false };
      this.touched.push(t);
    }
    this.#last = t;
    return t;
  }

  #assertOpen(): void {
    if (!this.open) throw new HookError('ERR_INVALID_ARG', 'this transaction has ended: start a new one with transaction()');
  }
}

/** Checks every touched hook, then applies every mark, then rebuilds each changed hook once. */
function commit(touched: readonly Touched[], what: string): void {
  for (const t of touched) {
    try {
      check(t);
    } catch (error) {
      if (!(error instanceof HookError)) throw error;
      throw new HookError(error.code, `${what}: nothing changed, because ${error.message}`, { cause: error });
    }
  }
  phase = 'applying';
  try {
    const changed: HookState[] = [];
    for (const t of touched) if (apply(t)) changed.push(t.state);
    rebuildEach(changed);
  } finally {
    phase = null;
  }
}

/** Throws what applying `t`'s marks in order would hit; changes nothing. */
function check(t: Touched): void {
  const { state, ops, exits } = t;
  assertChangeable(state);
  let ended = false;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (ended) throw terminatedError(state.name); // a mark after the hook's terminate in the same transaction
    if (op === 'terminate') {
      if (t.busyCheck) checkIdleAt(t, i);
      ended = true;
    } else if (op === 'arm') {
      const exit = exits[i]!;
      if (!exit._registered || (t.removes && removedBefore(t, exit, i))) throw deregisteredError(state, exit);
    }
  }
}

/**
 * Applies `t`'s marks in order (all checked); returns whether the hook needs a rebuild: it ended,
 * or its armed exits differ from what its dispatcher runs (marks that cancel out need none).
 */
function apply(t: Touched): boolean {
  const { state, ops, exits } = t;
  let changed = false;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (op === 'terminate') {
      end(state);
      return true;
    }
    const exit = exits[i]!;
    if (!exit._registered) continue; // disarm or deregister of an exit that is gone: nothing to do
    if (op === 'deregister') {
      if (removeExit(state, exit)) changed = true;
    } else if (exit._armed !== (op === 'arm')) {
      exit._armed = op === 'arm';
      changed = true;
    }
  }
  return changed && armedDiffers(state);
}

/** The hook's end: every exit dropped, out of its registry (the caller rebuilds). */
function end(state: HookState): void {
  dropAll(state);
  state.terminated = true;
  state.registry._remove(state.hook as HookImpl);
}

function rebuildOne(state: HookState): void {
  phase = 'applying';
  try {
    rebuild(state);
  } finally {
    phase = null;
  }
}

/** Rebuilds every hook even if one throws (each must match its exits), then throws the first error. */
function rebuildEach(states: readonly HookState[]): void {
  let failed = false;
  let first: unknown;
  for (const state of states) {
    try {
      rebuild(state);
    } catch (error) {
      if (!failed) first = error;
      failed = true;
    }
  }
  if (failed) throw first;
}

/** Whether the hook's armed exits, in running order, differ from the ones its dispatcher runs. */
function armedDiffers(state: HookState): boolean {
  const running = state.armed;
  let n = 0;
  for (const exit of state.exits) {
    if (!exit._armed) continue;
    if (running[n] !== exit) return true;
    n++;
  }
  return n !== running.length;
}

/** Whether `exit` is deregistered (or its hook terminated) by a mark before index `i`. */
function removedBefore(t: Touched, exit: ExitImpl, i: number): boolean {
  for (let j = 0; j < i; j++) if (t.ops[j] === 'terminate' || (t.ops[j] === 'deregister' && t.exits[j] === exit)) return true;
  return false;
}

/** Throws ERR_HOOK_BUSY if exits would still be armed when the unforced terminate at `i` runs. */
function checkIdleAt(t: Touched, i: number): void {
  const armed: ExitImpl[] = [];
  for (const exit of t.state.exits) {
    let on = exit._armed;
    for (let j = 0; j < i; j++) {
      if (t.exits[j] !== exit) continue;
      const op = t.ops[j];
      on = op === 'arm' ? true : op === 'disarm' || op === 'deregister' ? false : on;
    }
    if (on) armed.push(exit);
  }
  if (armed.length > 0) throw busyError(t.state, armed);
}

function deregisteredError(state: HookState, exit: ExitImpl): HookError {
  return new HookError('ERR_EXIT_DEREGISTERED', `exit "${exit.name}" of hook "${state.name}" was deregistered`);
}

function busyError(state: HookState, armed: readonly ExitImpl[]): HookError {
  return new HookError(
    'ERR_HOOK_BUSY',
    `hook "${state.name}" has ${armed.length} armed exit(s) (${armed.map((e) => e.name).join(', ')}); disarm them or pass { force: true }`,
  );
}

function isThenable(value: unknown): boolean {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
