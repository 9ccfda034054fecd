import type { DispatchCount } from '../hit-counts.ts';
import { STOP } from '../stop.ts';
import { BLOCKS, BLOCK_SIZE, FIRES, type Exits } from './notify-blocks.ts';
import type { Dispatcher } from './plan.ts';

type Fn = (...args: unknown[]) => unknown;

/**
 * An eval-free synchronous notify dispatcher for more than three exits and a known arity (0 to 3):
 * a chain of blocks of eight exits. A loop would make one call site for every exit, which V8 calls
 * megamorphically and inlines nothing (notify-10 read 7.3x hand-written calls, 0.13x tapable). Each
 * block here is a function literal of its own (notify-blocks.ts, written by a script), so each exit
 * has a call site of its own that stays monomorphic and is inlined, as in the generated code
 * (closures from one literal share their feedback, hence one literal per arity and place).
 * Fixed parameters, not rest and spread: a block V8 does not inline would allocate the arguments
 * again for each block. Exits past the literals' places run in a loop (`tail`). A short block is
 * filled with `pass`, which inlines to nothing. Each dispatch is counted once, on entry; one that
 * ends early records where (hit-counts.ts). null for other arities. `general` makes the dispatcher
 * for calls with another argument count (made only when a chain is).
 */
export function chainNotify(fns: readonly Fn[], count: DispatchCount, arity: number | null, general: (() => Dispatcher) | null): Dispatcher | null {
  const blocks = arity === null ? undefined : BLOCKS[arity];
  if (blocks === undefined) return null;
  const chained = Math.min(fns.length, blocks.length * BLOCK_SIZE);
  let next: Fn = chained < fns.length ? tail(fns, chained, count) : pass;
  for (let at = Math.ceil(chained / BLOCK_SIZE - 1) * BLOCK_SIZE; at >= 0; at -= BLOCK_SIZE) {
    next = blocks[at / BLOCK_SIZE]!(exitsAt(fns, at), at, count, next);
  }
  return FIRES[arity!]!(next, count, general === null ? null : general());
}

/** What fills a block, or a straight-line closure, that has fewer exits than call sites. */
export function pass(): undefined {
  return undefined;
}

/** The block's exits from `at`, filled with `pass`. */
function exitsAt(fns: readonly Fn[], at: number): Exits {
  return Array.from({ length: BLOCK_SIZE }, (_, i) => fns[at + i] ?? pass) as Exits;
}

/** The exits from `from` on, in a loop. */
function tail(fns: readonly Fn[], from: number, count: DispatchCount): Fn {
  return function tail(...args: unknown[]) {
    let i = from;
    try {
      for (; i < fns.length; i++) if (fns[i]!(...args) === STOP) return count.end(i);
    } catch (error) {
      count.end(i); // propagating: the dispatch ended at the exit that threw
      throw error;
    }
    return undefined;
  };
}
