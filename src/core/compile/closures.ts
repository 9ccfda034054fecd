import type { DispatchCount } from '../hit-counts.ts';
import { STOP } from '../stop.ts';
import { chainNotify, pass } from './chain-notify.ts';
import { containRejection, type Dispatcher, type DispatchPlan, type InflightTracker, type PlannedExit } from './plan.ts';

type Fn = (...args: unknown[]) => unknown;

/**
 * Builds a dispatcher without code generation, for runtimes that forbid `new Function`. One to
 * three plain exits of a notify hook, a gate, a waterfall or an async notify hook get straight-line
 * closures; four or more notify exits of a known arity a chain of blocks (chain-notify.ts);
 * everything else a loop over a frozen snapshot of the armed exits. A loop calls every exit from
 * one call site, which V8 calls megamorphically. Same semantics as the generated code, tested
 * against it.
 */
export function compileWithClosures(plan: DispatchPlan): Dispatcher {
  // A synchronous dispatch is counted once (hit-counts.ts), by whichever closure runs it.
  // A chain takes exactly its arity's arguments already: no arity wrapper around it (one more
  // layer to inline, ~2 ns of 8 at 10 exits in a one-process loop).
  return chained(plan) ?? withArity(plan, build(plan));
}

/** A chain of blocks (chain-notify.ts) for a plain synchronous notify hook with 4 or more exits and a known arity, else null. */
function chained(plan: DispatchPlan): Dispatcher | null {
  if (plan.kind.async || plan.kind.combine !== 'notify' || plan.isolate || plan.exits.length <= 3) return null;
  // A learned arity: calls with another count take the general loop.
  const general = plan.arity === null && plan.learnedArity !== null ? () => build({ ...plan, learnedArity: null, learn: null }) : null;
  return chainNotify(
    plan.exits.map((e) => e.fn as Fn),
    plan.count!,
    plan.arity ?? plan.learnedArity,
    general,
  );
}

function withArity(plan: DispatchPlan, inner: Dispatcher): Dispatcher {
  const arity = plan.arity;
  if (arity === null) return inner;
  const dispatcher = inner; // a `const` V8 folds, where a parameter is loaded at every call
  // A declared arity passes exactly that many arguments, as the generated `fire(a0, a1)` does.
  // Fixed parameters for the usual counts: writing a rest array's length (the general case) makes
  // V8 give up on the call (measured 70-80x a hand-written call with 1 exit; issue 8).
  switch (arity) {
    case 0:
      return function fire() {
        return dispatcher();
      };
    case 1:
      return function fire(a: unknown) {
        return dispatcher(a);
      };
    case 2:
      return function fire(a: unknown, b: unknown) {
        return dispatcher(a, b);
      };
    case 3:
      return function fire(a: unknown, b: unknown, c: unknown) {
        return dispatcher(a, b, c);
      };
    case 4:
      return function fire(a: unknown, b: unknown, c: unknown, d: unknown) {
        return dispatcher(a, b, c, d);
      };
    default:
      return function fire(...args: unknown[]) {
        args.length = arity;
        return dispatcher(...args);
      };
  }
}

function build(plan: DispatchPlan): Dispatcher {
  const exits = plan.exits;
  const fns = exits.map((e) => e.fn as Fn);
  const stats = exits.map((e) => e._counter);
  const n = fns.length;
  const { isolate, fault, tracker } = plan;

  const call = isolate
    ? (i: number, args: unknown[]): unknown => {
        try {
          return fns[i]!(...args);
        } catch (error) {
          fault(exits[i] as PlannedExit, error);
          return undefined;
        }
      }
    : (i: number, args: unknown[]): unknown => fns[i]!(...args);
  const callAsync = isolate
    ? async (i: number, args: unknown[]): Promise<unknown> => {
        try {
          return await fns[i]!(...args);
        } catch (error) {
          fault(exits[i] as PlannedExit, error);
          return undefined;
        }
      }
    : (i: number, args: unknown[]): unknown => fns[i]!(...args);

  const containThenable = (exit: PlannedExit, r: unknown): void => {
    try {
      if (typeof (r as { then?: unknown } | null)?.then === 'function') containRejection(fault, exit, r as PromiseLike<unknown>);
    } catch (error) {
      fault(exit, error);
    }
  };

  if (!plan.kind.async) {
    switch (plan.kind.combine) {
      case 'notify': {
        const counted = plan.count!; // a synchronous notify plan always has its count (countsDispatches)
        if (!isolate && n <= 3) return straightNotify(fns, counted);
        const learn = plan.learn;
        return function fire(...args: unknown[]) {
          // Tells a hook declared without `args` the arity its site uses (then a chain of blocks).
          if (learn !== null) learn(args.length);
          counted.n++;
          let i = 0;
          try {
            for (; i < n; i++) {
              const r = call(i, args);
              if (r === STOP) return counted.end(i);
              // A notify hook ignores returns: an isolated async exit's rejection must not go unhandled.
              if (isolate) containThenable(exits[i] as PlannedExit, r);
            }
          } catch (error) {
            counted.end(i); // propagating: the dispatch ended at the exit that threw
            throw error;
          }
        };
      }
      case 'gate': {
        const counted = plan.count!; // a synchronous gate plan always has its count (countsDispatches)
        if (!isolate && n <= 3) return straightGate(fns, counted);
        return function fire(...args: unknown[]) {
          counted.n++;
          let i = 0;
          try {
            for (; i < n; i++) {
              const r = call(i, args);
              if (r !== undefined) {
                counted.end(i); // answered: the exits after it were not called
                return r === STOP ? undefined : r;
              }
            }
          } catch (error) {
            counted.end(i); // propagating: the dispatch ended at the exit that threw
            throw error;
          }
          return undefined;
        };
      }
      case 'waterfall': {
        const counted = plan.count!; // a synchronous waterfall plan always has its count (countsDispatches)
        if (!isolate && n <= 3) return straightWaterfall(fns, counted);
        return function fire(a0: unknown, ...rest: unknown[]) {
          const args = [a0, ...rest]; // the threaded value is always passed, as in the generated code
          counted.n++;
          let i = 0;
          try {
            for (; i < n; i++) {
              const r = call(i, args);
              if (r !== undefined) {
                if (r === STOP) {
                  counted.end(i);
                  return args[0];
                }
                args[0] = r;
              }
            }
          } catch (error) {
            counted.end(i); // propagating: the dispatch ended at the exit that threw
            throw error;
          }
          return args[0];
        };
      }
      case 'parallel':
        break; // parallel hooks are always async: handled below
    }
  }

  switch (plan.kind.combine) {
    // Each async dispatch runs inside the registry's in-flight count (synchronize()), opened and
    // closed in the dispatcher itself as the generated one does: an async closure per dispatch
    // with `.finally()` on its promise read 1.62x hand-written awaits at 3 exits.
    case 'notify':
      if (!isolate && n <= 3) return straightAsyncNotify(fns, stats, tracker);
      return async function fire(...args: unknown[]) {
        const t = opened(tracker);
        try {
          for (let i = 0; i < n; i++) {
            stats[i]!.hits++;
            if ((await callAsync(i, args)) === STOP) return;
          }
        } finally {
          closed(t);
        }
      };
    case 'gate':
      return async function fire(...args: unknown[]) {
        const t = opened(tracker);
        try {
          for (let i = 0; i < n; i++) {
            stats[i]!.hits++;
            const r = await callAsync(i, args);
            if (r !== undefined) return r === STOP ? undefined : r;
          }
          return undefined;
        } finally {
          closed(t);
        }
      };
    case 'waterfall':
      return async function fire(a0: unknown, ...rest: unknown[]) {
        const t = opened(tracker);
        try {
          const args = [a0, ...rest]; // the threaded value is always passed, as in the generated code
          for (let i = 0; i < n; i++) {
            stats[i]!.hits++;
            const r = await callAsync(i, args);
            if (r !== undefined) {
              if (r === STOP) return args[0];
              args[0] = r;
            }
          }
          return args[0];
        } finally {
          closed(t);
        }
      };
    default:
      return parallel(plan, fns, callAsync);
  }
}

/**
 * A parallel dispatch with the generated one's semantics (codegen.ts, `parallelLines`): every exit
 * starts in order; propagating, the first rejection or throw rejects (no later exit starts after a
 * throw, and the started ones' rejections are still handled); isolated, each fault is reported.
 * `Promise.all` here, not the generated code's countdown: without constant exits the countdown's
 * closures measured ~2x slower (1.2-1.3 us against 2.5 us per fire with 3 async exits, busy machine).
 */
function parallel(plan: DispatchPlan, fns: Fn[], callAsync: (i: number, args: unknown[]) => unknown): Dispatcher {
  const n = fns.length;
  const { tracker } = plan;
  const stats = plan.exits.map((e) => e._counter);
  return async function fire(...args: unknown[]) {
    const t = opened(tracker);
    try {
      for (let i = 0; i < n; i++) stats[i]!.hits++;
      const started: unknown[] = [];
      try {
        for (let i = 0; i < n; i++) started.push(callAsync(i, args));
      } catch (error) {
        // No later exit starts; the started ones' rejections must not go unhandled.
        for (const p of started) if (typeof (p as { then?: unknown } | null)?.then === 'function') (p as PromiseLike<unknown>).then(undefined, ignore);
        throw error;
      }
      await Promise.all(started);
    } finally {
      closed(t);
    }
  };
}

/**
 * One to three async notify exits, straight-line (a loop calls them all from one megamorphic call
 * site). Not filled up to three as the synchronous ones are: each `await` is a turn of the
 * microtask queue, which would move when the dispatch settles; the tests of `n` fold away instead.
 */
function straightAsyncNotify(fns: Fn[], stats: { hits: number }[], tracker: InflightTracker): Dispatcher {
  const [e0, e1, e2] = fns as [Fn, Fn, Fn];
  const [s0, s1, s2] = stats as [{ hits: number }, { hits: number }, { hits: number }];
  const [n, stop] = [fns.length, STOP];
  return async function fire(...args: unknown[]) {
    const t = opened(tracker);
    try {
      s0.hits++;
      if ((await e0(...args)) === stop || n === 1) return;
      s1.hits++;
      if ((await e1(...args)) === stop || n === 2) return;
      s2.hits++;
      await e2(...args);
    } finally {
      closed(t);
    }
  };
}

/** Counts a dispatch in the registry's current in-flight epoch (what synchronize() waits for). */
function opened(tracker: InflightTracker): InflightTracker['current'] {
  const t = tracker.current;
  t.n++;
  return t;
}

/** Ends a dispatch counted by {@link opened}. */
function closed(t: InflightTracker['current']): void {
  if (--t.n === 0 && t.done !== null) t.done();
}

function ignore(): void {}

function straightNotify(fns: Fn[], counted: DispatchCount): Dispatcher {
  // `const`s, not parameters or module bindings: V8 folds a known closure's `const`s (codegen.ts).
  const [e0, e1, e2] = fns as [Fn, Fn, Fn];
  const [count, stop] = [counted, STOP];
  if (fns.length === 1) {
    return function fire(...args: unknown[]) {
      count.n++;
      e0(...args);
    };
  }
  if (fns.length === 2) {
    return function fire(...args: unknown[]) {
      count.n++;
      try {
        if (e0(...args) === stop) return count.end(0);
      } catch (error) {
        count.end(0);
        throw error;
      }
      e1(...args);
    };
  }
  return function fire(...args: unknown[]) {
    count.n++;
    let p = 0;
    try {
      if (e0(...args) === stop) return count.end(0);
      p = 1;
      if (e1(...args) === stop) return count.end(1);
    } catch (error) {
      count.end(p);
      throw error;
    }
    e2(...args);
  };
}

/** One to three exits, padded with `pass`, which never answers, stops or throws: it ends nothing. */
function padded(fns: Fn[]): [Fn, Fn, Fn] {
  return [fns[0] ?? pass, fns[1] ?? pass, fns[2] ?? pass];
}

/**
 * One to three gate exits, straight-line: in a loop every exit call shares one megamorphic call site
 * (gate-3 read 5.8x hand-written calls that way, 0.16x tapable's SyncBailHook).
 */
function straightGate(fns: Fn[], counted: DispatchCount): Dispatcher {
  const [e0, e1, e2] = padded(fns);
  const [count, stop] = [counted, STOP];
  return function fire(...args: unknown[]) {
    count.n++;
    let p = 0;
    let r: unknown;
    try {
      r = e0(...args);
      if (r !== undefined) {
        count.end(0);
        return r === stop ? undefined : r;
      }
      p = 1;
      r = e1(...args);
      if (r !== undefined) {
        count.end(1);
        return r === stop ? undefined : r;
      }
    } catch (error) {
      count.end(p); // propagating: the dispatch ended at the exit that threw
      throw error;
    }
    r = e2(...args);
    return r === stop ? undefined : r;
  };
}

/**
 * One to three waterfall exits, straight-line (waterfall-3 read 16.6x hand-written calls in a loop).
 * The threaded value is a parameter of its own, as in the generated code: writing into a rest
 * array defeats V8's spread forwarding.
 */
function straightWaterfall(fns: Fn[], counted: DispatchCount): Dispatcher {
  const [e0, e1, e2] = padded(fns);
  const [count, stop] = [counted, STOP];
  return function fire(a0: unknown, ...rest: unknown[]) {
    count.n++;
    let p = 0;
    let r: unknown;
    try {
      r = e0(a0, ...rest);
      if (r !== undefined) {
        if (r === stop) {
          count.end(0);
          return a0;
        }
        a0 = r;
      }
      p = 1;
      r = e1(a0, ...rest);
      if (r !== undefined) {
        if (r === stop) {
          count.end(1);
          return a0;
        }
        a0 = r;
      }
    } catch (error) {
      count.end(p); // propagating: the dispatch ended at the exit that threw
      throw error;
    }
    r = e2(a0, ...rest);
    return r === undefined || r === stop ? a0 : r;
  };
}
