import type { DispatchCount } from '../hit-counts.ts';
import { STOP } from '../stop.ts';
import { chainNotify } from './chain-notify.ts';
import { containRejection, type Dispatcher, type DispatchPlan, type PlannedExit } from './plan.ts';

type Fn = (...args: unknown[]) => unknown;

/**
 * Builds a dispatcher without code generation, for runtimes that forbid `new Function`.
 * One, two and three plain notify exits get straight-line closures, more a chain of blocks when
 * the arity is known (chain-notify.ts); everything else a loop over a frozen snapshot of the armed exits. Same semantics as the generated code, tested against it.
 */
export function compileWithClosures(plan: DispatchPlan): Dispatcher {
  // A synchronous notify dispatch is counted once (hit-counts.ts), by whichever closure runs it.
  return withArity(plan, build(plan));
}

function withArity(plan: DispatchPlan, dispatcher: Dispatcher): Dispatcher {
  const arity = plan.arity;
  if (arity === null) return dispatcher;
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

  const track = <T>(run: () => Promise<T>): Promise<T> => {
    const t = tracker.current;
    t.n++;
    return run().finally(() => {
      if (--t.n === 0 && t.done !== null) t.done();
    });
  };

  if (!plan.kind.async) {
    switch (plan.kind.combine) {
      case 'notify': {
        const counted = plan.count!; // a synchronous notify plan always has its count (countsDispatches)
        if (!isolate && n <= 3) return straightNotify(fns, counted);
        // A learned arity: calls with another count take the general loop.
        const general = plan.arity === null && plan.learnedArity !== null ? build({ ...plan, learnedArity: null, learn: null }) : null;
        const chained = isolate ? null : chainNotify(fns, counted, plan.arity ?? plan.learnedArity, general);
        if (chained !== null) return chained;
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
      case 'gate':
        return function fire(...args: unknown[]) {
          for (let i = 0; i < n; i++) {
            stats[i]!.hits++;
            const r = call(i, args);
            if (r !== undefined) return r === STOP ? undefined : r;
          }
          return undefined;
        };
      case 'waterfall':
        return function fire(...args: unknown[]) {
          for (let i = 0; i < n; i++) {
            stats[i]!.hits++;
            const r = call(i, args);
            if (r !== undefined) {
              if (r === STOP) return args[0];
              args[0] = r;
            }
          }
          return args[0];
        };
      case 'parallel':
        break; // parallel hooks are always async: handled below
    }
  }

  switch (plan.kind.combine) {
    case 'notify':
      return (...args: unknown[]) =>
        track(async () => {
          for (let i = 0; i < n; i++) {
            stats[i]!.hits++;
            if ((await callAsync(i, args)) === STOP) return;
          }
        });
    case 'gate':
      return (...args: unknown[]) =>
        track(async () => {
          for (let i = 0; i < n; i++) {
            stats[i]!.hits++;
            const r = await callAsync(i, args);
            if (r !== undefined) return r === STOP ? undefined : r;
          }
          return undefined;
        });
    case 'waterfall':
      return (...args: unknown[]) =>
        track(async () => {
          for (let i = 0; i < n; i++) {
            stats[i]!.hits++;
            const r = await callAsync(i, args);
            if (r !== undefined) {
              if (r === STOP) return args[0];
              args[0] = r;
            }
          }
          return args[0];
        });
    default:
      return parallel(plan, fns, callAsync, track);
  }
}

/**
 * A parallel dispatch with the generated one's semantics (codegen.ts, `parallelLines`): every exit
 * starts in order; propagating, the first rejection or throw rejects (no later exit starts after a
 * throw, and the started ones' rejections are still handled); isolated, each fault is reported.
 * `Promise.all` here, not the generated code's countdown: without constant exits the countdown's
 * closures measured ~2x slower (1.2-1.3 us against 2.5 us per fire with 3 async exits, busy machine).
 */
function parallel(
  plan: DispatchPlan,
  fns: Fn[],
  callAsync: (i: number, args: unknown[]) => unknown,
  track: <T>(run: () => Promise<T>) => Promise<T>,
): Dispatcher {
  const n = fns.length;
  const stats = plan.exits.map((e) => e._counter);
  return (...args: unknown[]) =>
    track(async () => {
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
    });
}

function ignore(): void {}

function straightNotify(fns: Fn[], count: DispatchCount): Dispatcher {
  const [e0, e1, e2] = fns as [Fn, Fn, Fn];
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
        if (e0(...args) === STOP) return count.end(0);
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
      if (e0(...args) === STOP) return count.end(0);
      p = 1;
      if (e1(...args) === STOP) return count.end(1);
    } catch (error) {
      count.end(p);
      throw error;
    }
    e2(...args);
  };
}
