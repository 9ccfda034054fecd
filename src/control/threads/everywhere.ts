/**
 * The in-process form of the threads barrier: the core's `armAll`, `disarmAll` and
 * `registry.synchronize()` for every thread of the process at once. Each worker thread has its
 * own copies of the program's hooks and exits, so exits are chosen by name (a hook, and
 * optionally one of its exits), and each thread arms its own exits of that name. It works through
 * the agent's fleet (`fleet.ts`): the same shared state, order, barrier, rollback and timeout as
 * the control socket's changes.
 */
import { armAll, disarmAll, HookError, registry, type Exit } from '../../core/index.ts';
import { describe, validateExitName, validateHookName } from '../../core/internal.ts';
import { ControlErrorCodes } from '../errors.ts';
import { HOOK_ARMINGS_KEPT, type ThreadFleet } from './fleet.ts';
import type { WantedHookArming } from './messages.ts';
import { processFleet } from './process-fleet.ts';

// process.getBuiltinModule, not `import`: an ES import builds the module's facade (start-up time).
const { isMainThread } = process.getBuiltinModule('node:worker_threads');

/**
 * Which exits of the program's own hooks a cross-thread change applies to, in every thread: a
 * hook name (all of its exits) or `{ hook, exit }` (its exit of that name). The hook must be
 * declared in the calling (main) thread; in a worker that has not declared it there is nothing to
 * change.
 */
export type ThreadExitSelector = string | { readonly hook: string; readonly exit?: string };

/** A list (any iterable object, not a string) of {@link ThreadExitSelector}s. */
export type ThreadExitSelectors = Iterable<ThreadExitSelector> & object;

/** Options of {@link armEverywhere}, {@link disarmEverywhere} and {@link synchronizeEverywhere}. */
export interface EverywhereOptions {
  /**
   * How long every thread has to confirm, in milliseconds (a whole number from 1 to 600000).
   * Default: the agent's, `HOOKWIRE_THREAD_TIMEOUT_MS` (2000 when unset).
   */
  readonly timeoutMs?: number;
}

/** What a cross-thread change or synchronize answers once every thread confirmed it. */
export interface EverywhereResult {
  /** The threads that confirmed it: the main thread and every live worker the agent reached. */
  readonly threads: number;
}

/**
 * Arms the selected exits in every thread of the process: the core's `armAll` across threads.
 * Resolves once the main thread and every live worker thread have applied it; from then on every
 * thread's dispatches run those exits. All or nothing: if any thread cannot (its hook is sealed
 * there, it has no exit of that name, it does not confirm within the timeout), the promise rejects
 * with that thread's error (`thread N refused: …`, or `ERR_TIMEOUT`) and no thread keeps the
 * change. Call it in the main thread of a program under the hookwire agent.
 *
 * @example
 * ```ts
 * import { armEverywhere, disarmEverywhere, synchronizeEverywhere } from 'hookwire/control';
 * await armEverywhere(['db:query', { hook: 'http:request', exit: 'audit' }]);
 * ```
 * @throws (rejects with) `HookError`: `ERR_INVALID_ARG` (bad selectors or options),
 *   `ERR_LIMIT` (more than 256 selectors), `ERR_NOT_FOUND` (no such hook, or exit, in the main
 *   thread), `ERR_NOT_MAIN_THREAD`, `ERR_AGENT_UNREACHABLE`, `ERR_THREAD_UNREACHED`, a thread's
 *   refusal (`ERR_HOOK_SEALED`, …) or `ERR_TIMEOUT`. Nothing is changed in any thread then.
 */
export function armEverywhere(exits: ThreadExitSelectors, options?: EverywhereOptions): Promise<EverywhereResult> {
  return setEverywhere('armEverywhere', exits, options, true);
}

/**
 * Disarms the selected exits in every thread: the core's `disarmAll` across threads. Once it
 * resolves, no thread starts a dispatch that runs them (async dispatches already running may
 * still: {@link synchronizeEverywhere} waits for those). All or nothing, like {@link armEverywhere}.
 *
 * @throws (rejects with) the same `HookError`s as {@link armEverywhere}.
 */
export function disarmEverywhere(exits: ThreadExitSelectors, options?: EverywhereOptions): Promise<EverywhereResult> {
  return setEverywhere('disarmEverywhere', exits, options, false);
}

/**
 * The default registry's `synchronize()` in every thread: resolves once every async dispatch
 * that began, in any thread, before the call has ended. After `await disarmEverywhere(…)` and
 * then this, a disarmed exit runs nowhere again. A worker that ends meanwhile counts as done (its
 * dispatches ended with it). A thread that does not confirm within the timeout (busy in
 * synchronous code, blocked in `Atomics.wait`, or with a dispatch that never settles) makes it
 * reject with `ERR_TIMEOUT` naming the threads; nothing is undone, there is nothing to undo.
 *
 * @throws (rejects with) `HookError`: `ERR_INVALID_ARG` (bad options), `ERR_NOT_MAIN_THREAD`,
 *   `ERR_AGENT_UNREACHABLE`, `ERR_THREAD_UNREACHED`, `ERR_TIMEOUT`.
 */
export async function synchronizeEverywhere(options?: EverywhereOptions): Promise<EverywhereResult> {
  const timeoutMs = checkOptions('synchronizeEverywhere', options);
  const fleet = await fleetHere('synchronizeEverywhere');
  await everyWorkerReached(fleet, timeoutMs ?? fleet.timeoutMs);
  // Both begin now: the main thread's dispatches and the workers' begun before this call.
  const [, outcome] = await Promise.all([registry.synchronize(), fleet.synchronize(timeoutMs ?? fleet.timeoutMs)]);
  if (!outcome.ok) throw outcome.error;
  return { threads: outcome.threads + 1 };
}

async function setEverywhere(what: string, exits: ThreadExitSelectors, options: EverywhereOptions | undefined, armed: boolean): Promise<EverywhereResult> {
  const selected = checkSelectors(what, exits);
  const timeoutMs = checkOptions(what, options);
  const fleet = await fleetHere(what);
  return fleet.serialize(async () => {
    await everyWorkerReached(fleet, timeoutMs ?? fleet.timeoutMs);
    // The main thread first: what it refuses is refused before any worker hears of it.
    const mine = exitsHere(selected);
    const before = mine.map((e) => [e, e.armed] as const);
    if (armed) armAll(mine);
    else disarmAll(mine);
    const undoArmings = fleet.addArmings(selected.map((s) => ({ ...s, armed })));
    const outcome = await fleet.publishCurrent(timeoutMs ?? fleet.timeoutMs);
    if (outcome.ok) return { threads: outcome.threads + 1 };
    undoArmings();
    restore(before);
    // Every thread back to the state before, without waiting again for those that did not confirm
    // in time: they read the state as it is when they next run, the old one (see attachments.ts).
    await fleet.publishCurrent(timeoutMs ?? fleet.timeoutMs, outcome.late);
    throw outcome.error;
  });
}

/** The agent's fleet, in the main thread; else the error that says why there is none. */
async function fleetHere(what: string): Promise<ThreadFleet> {
  if (!isMainThread) {
    throw new HookError(
      ControlErrorCodes.ERR_NOT_MAIN_THREAD,
      `${what} is for the main thread: call it there (a worker's changes would not reach its siblings)`,
    );
  }
  const fleet = await processFleet();
  if (fleet === undefined) {
    throw new HookError(
      ControlErrorCodes.ERR_AGENT_UNREACHABLE,
      `${what} needs the hookwire agent in this process (hookwire run, or node --import hookwire/agent): without it no worker thread can be reached`,
    );
  }
  return fleet;
}

/** Refuses when a live worker runs without a thread agent: answering would break the promise for it. */
async function everyWorkerReached(fleet: ThreadFleet, timeoutMs: number): Promise<void> {
  const outcome = await fleet.everyWorkerReached(timeoutMs);
  if (!outcome.ok) throw outcome.error;
}

type Selected = Omit<WantedHookArming, 'seq' | 'armed'>;

function checkSelectors(what: string, exits: ThreadExitSelectors): Selected[] {
  if (exits === null || typeof exits !== 'object' || typeof (exits as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function') {
    throw new HookError('ERR_INVALID_ARG', `${what} takes an iterable of hook names or { hook, exit } selectors, got ${describe(exits)}`);
  }
  const out: Selected[] = [];
  let index = 0;
  for (const item of exits) {
    if (out.length === HOOK_ARMINGS_KEPT) throw new HookError('ERR_LIMIT', `${what} takes at most ${HOOK_ARMINGS_KEPT} selectors`);
    out.push(checkSelector(what, item, index++));
  }
  return out;
}

function checkSelector(what: string, item: unknown, index: number): Selected {
  const at = `${what}: item ${index}`;
  if (typeof item === 'string') return { hook: named(at, () => validateHookName(item)) };
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    throw new HookError('ERR_INVALID_ARG', `${at} must be a hook name or { hook, exit }, got ${describe(item)}`);
  }
  const extra = Object.keys(item).find((k) => k !== 'hook' && k !== 'exit');
  if (extra !== undefined) throw new HookError('ERR_INVALID_ARG', `${at} has an unknown key ${describe(extra)} (it takes hook and exit)`);
  const { hook, exit } = item as { hook?: unknown; exit?: unknown };
  const out: Selected = { hook: named(at, () => validateHookName(hook)) };
  if (exit !== undefined) out.exit = named(at, () => validateExitName(exit));
  return out;
}

/** The core's check, its message prefixed with where the bad name is. */
function named(at: string, check: () => string): string {
  try {
    return check();
  } catch (error) {
    throw error instanceof HookError ? new HookError(error.code, `${at}: ${error.message}`) : error;
  }
}

function checkOptions(what: string, options: EverywhereOptions | undefined): number | undefined {
  if (options === undefined) return undefined;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new HookError('ERR_INVALID_ARG', `${what}: options must be an object, got ${describe(options)}`);
  }
  const extra = Object.keys(options).find((k) => k !== 'timeoutMs');
  if (extra !== undefined) throw new HookError('ERR_INVALID_ARG', `${what}: unknown option ${describe(extra)} (it takes timeoutMs)`);
  const t = options.timeoutMs as unknown;
  if (t === undefined) return undefined;
  if (typeof t !== 'number' || !Number.isInteger(t) || t < 1 || t > 600_000) {
    throw new HookError('ERR_INVALID_ARG', `${what}: timeoutMs must be a whole number of milliseconds from 1 to 600000, got ${describe(t)}`);
  }
  return t;
}

/** The main thread's exits the selectors name (each once); ERR_NOT_FOUND for a name it lacks. */
function exitsHere(selected: readonly Selected[]): Exit[] {
  const out = new Set<Exit>();
  for (const s of selected) {
    const hook = registry.get(s.hook);
    if (hook === undefined) throw new HookError('ERR_NOT_FOUND', `no hook named "${s.hook}" in the main thread`);
    const exits = s.exit === undefined ? hook.exits : hook.exits.filter((e) => e.name === s.exit);
    if (s.exit !== undefined && exits.length === 0)
      throw new HookError('ERR_NOT_FOUND', `hook "${s.hook}" has no exit named "${s.exit}" in the main thread`);
    for (const e of exits as readonly Exit[]) out.add(e);
  }
  return [...out];
}

function restore(before: readonly (readonly [Exit, boolean])[]): void {
  for (const [e, armed] of before) {
    try {
      if (armed) e.arm();
      else e.disarm();
    } catch {
      // Deregistered meanwhile: nothing to put back.
    }
  }
}
