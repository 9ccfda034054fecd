// Written by scripts/notify-blocks.mjs: edit that and run it (npm run lint checks the two agree).
/* eslint-disable prefer-rest-params -- a fire passes `arguments` on only when their count is not the learnt one */
import type { DispatchCount } from '../hit-counts.ts';
import { STOP } from '../stop.ts';
import type { Dispatcher } from './plan.ts';

type Fn = (...args: unknown[]) => unknown;
/** A block's exits, one call site each. */
export type Exits = [Fn, Fn, Fn, Fn, Fn, Fn, Fn, Fn];
type Factory = (e: Exits, at: number, count: DispatchCount, next: Fn) => Fn;

/** Exits per block. */
export const BLOCK_SIZE = 8;

/** The block factories of each arity (0 to 3), one per place in the chain. */
export const BLOCKS: readonly (readonly Factory[])[] = [
  [block0x0, block0x1, block0x2, block0x3],
  [block1x0, block1x1, block1x2, block1x3],
  [block2x0, block2x1, block2x2, block2x3],
  [block3x0, block3x1, block3x2, block3x3],
];

/** The counted entry of each arity; `general` takes calls with another argument count. */
export const FIRES: readonly ((chain: Fn, count: DispatchCount, general: Dispatcher | null) => Dispatcher)[] = [fire0, fire1, fire2, fire3];

function fire0(chain: Fn, count: DispatchCount, general: Dispatcher | null): Dispatcher {
  const [first, c, other] = [chain, count, general];
  return function fire() {
    if (other !== null && arguments.length !== 0) return other(...arguments);
    c.n++;
    return first();
  };
}

function fire1(chain: Fn, count: DispatchCount, general: Dispatcher | null): Dispatcher {
  const [first, c, other] = [chain, count, general];
  return function fire(a0: unknown) {
    if (other !== null && arguments.length !== 1) return other(...arguments);
    c.n++;
    return first(a0);
  };
}

function fire2(chain: Fn, count: DispatchCount, general: Dispatcher | null): Dispatcher {
  const [first, c, other] = [chain, count, general];
  return function fire(a0: unknown, a1: unknown) {
    if (other !== null && arguments.length !== 2) return other(...arguments);
    c.n++;
    return first(a0, a1);
  };
}

function fire3(chain: Fn, count: DispatchCount, general: Dispatcher | null): Dispatcher {
  const [first, c, other] = [chain, count, general];
  return function fire(a0: unknown, a1: unknown, a2: unknown) {
    if (other !== null && arguments.length !== 3) return other(...arguments);
    c.n++;
    return first(a0, a1, a2);
  };
}

function block0x0(e: Exits, at: number, count: DispatchCount, next: Fn): Fn {
  const [e0, e1, e2, e3, e4, e5, e6, e7] = e;
  const [c, then, k, stop] = [count, next, at, STOP];
  return function block() {
    let j = k; // the exit the dispatch is at
    stopped: {
      try {
        if (e0() === stop) break stopped;
        j++;
        if (e1() === stop) break stopped;
        j++;
        if (e2() === stop) break stopped;
        j++;
        if (e3() === stop) break stopped;
        j++;
        if (e4() === stop) break stopped;
        j++;
        if (e5() === stop) break stopped;
        j++;
        if (e6() === stop) break stopped;
        j++;
        if (e7() === stop) break stopped;
      } catch (error) {
        c.end(j);
        throw error;
      }
      return then();
    }
    return c.end(j);
  };
}

function block0x1(e: Exits, at: number, count: DispatchCount, next: Fn): Fn {
  const [e0, e1, e2, e3, e4, e5, e6, e7] = e;
  const [c, then, k, stop] = [count, next, at, STOP];
  return function block() {
    let j = k; // the exit the dispatch is at
    stopped: {
      try {
        if (e0() === stop) break stopped;
        j++;
        if (e1() === stop) break stopped;
        j++;
        if (e2() === stop) break stopped;
        j++;
        if (e3() === stop) break stopped;
        j++;
        if (e4() === stop) break stopped;
        j++;
        if (e5() === stop) break stopped;
        j++;
        if (e6() === stop) break stopped;
        j++;
        if (e7() === stop) break stopped;
      } catch (error) {
        c.end(j);
        throw error;
      }
      return then();
    }
    return c.end(j);
  };
}

function block0x2(e: Exits, at: number, count: DispatchCount, next: Fn): Fn {
  const [e0, e1, e2, e3, e4, e5, e6, e7] = e;
  const [c, then, k, stop] = [count, next, at, STOP];
  return function block() {
    let j = k; // the exit the dispatch is at
    stopped: {
      try {
        if (e0() === stop) break stopped;
        j++;
        if (e1() === stop) break stopped;
        j++;
        if (e2() === stop) break stopped;
        j++;
        if (e3() === stop) break stopped;
        j++;
        if (e4() === stop) break stopped;
        j++;
        if (e5() === stop) break stopped;
        j++;
        if (e6() === stop) break stopped;
        j++;
        if (e7() === stop) break stopped;
      } catch (error) {
        c.end(j);
        throw error;
      }
      return then();
    }
    return c.end(j);
  };
}

function block0x3(e: Exits, at: number, count: DispatchCount, next: Fn): Fn {
  const [e0, e1, e2, e3, e4, e5, e6, e7] = e;
  const [c, then, k, stop] = [count, next, at, STOP];
  return function block() {
    let j = k; // the exit the dispatch is at
    stopped: {
      try {
        if (e0() === stop) break stopped;
        j++;
        if (e1() === stop) break stopped;
        j++;
        if (e2() === stop) break stopped;
        j++;
        if (e3() === stop) break stopped;
        j++;
        if (e4() === stop) break stopped;
        j++;
        if (e5() === stop) break stopped;
        j++;
        if (e6() === stop) break stopped;
        j++;
        if (e7() === stop) break stopped;
      } catch (error) {
        c.end(j);
        throw error;
      }
      return then();
    }
    return c.end(j);
  };
}

function block1x0(e: Exits, at: number, count: DispatchCount, next: Fn): Fn {
  const [e0, e1, e2, e3, e4, e5, e6, e7] = e;
  const [c, then, k, stop] = [count, next, at, STOP];
  return function block(a0: unknown) {
    let j = k; // the exit the dispatch is at
    stopped: {
      try {
        if (e0(a0) === stop) break stopped;
        j++;
        if (e1(a0) === stop) break stopped;
        j++;
        if (e2(a0) === stop) break stopped;
        j++;
        if (e3(a0) === stop) break stopped;
        j++;
        if (e4(a0) === stop) break stopped;
        j++;
        if (e5(a0) === stop) break stopped;
        j++;
        if (e6(a0) === stop) break stopped;
        j++;
        if (e7(a0) === stop) break stopped;
      } catch (error) {
        c.end(j);
        throw error;
      }
      return then(a0);
    }
    return c.end(j);
  };
}

function block1x1(e: Exits, at: number, count: DispatchCount, next: Fn): Fn {
  const [e0, e1, e2, e3, e4, e5, e6, e7] = e;
  const [c, then, k, stop] = [count, next, at, STOP];
  return function block(a0: unknown) {
    let j = k; // the exit the dispatch is at
    stopped: {
      try {
        if (e0(a0) === stop) break stopped;
        j++;
        if (e1(a0) === stop) break stopped;
        j++;
        if (e2(a0) === stop) break stopped;
        j++;
        if (e3(a0) === stop) break stopped;
        j++;
        if (e4(a0) === stop) break stopped;
        j++;
        if (e5(a0) === stop) break stopped;
        j++;
        if (e6(a0) === stop) break stopped;
        j++;
        if (e7(a0) === stop) break stopped;
      } catch (error) {
        c.end(j);
        throw error;
      }
      return then(a0);
    }
    return c.end(j);
  };
}

function block1x2(e: Exits, at: number, count: DispatchCount, next: Fn): Fn {
  const [e0, e1, e2, e3, e4, e5, e6, e7] = e;
  const [c, then, k, stop] = [count, next, at, STOP];
  return function block(a0: unknown) {
    let j = k; // the exit the dispatch is at
    stopped: {
      try {
        if (e0(a0) === stop) break stopped;
        j++;
        if (e1(a0) === stop) break stopped;
        j++;
        if (e2(a0) === stop) break stopped;
        j++;
        if (e3(a0) === stop) break stopped;
        j++;
        if (e4(a0) === stop) break stopped;
        j++;
        if (e5(a0) === stop) break stopped;
        j++;
        if (e6(a0) === stop) break stopped;
        j++;
        if (e7(a0) === stop) break stopped;
      } catch (error) {
        c.end(j);
        throw error;
      }
      return then(a0);
    }
    return c.end(j);
  };
}

function block1x3(e: Exits, at: number, count: DispatchCount, next: Fn): Fn {
  const [e0, e1, e2, e3, e4, e5, e6, e7] = e;
  const [c, then, k, stop] = [count, next, at, STOP];
  return function block(a0: unknown) {
    let j = k; // the exit the dispatch is at
    stopped: {
      try {
        if (e0(a0) === stop) break stopped;
        j++;
        if (e1(a0) === stop) break stopped;
        j++;
        if (e2(a0) === stop) break stopped;
        j++;
        if (e3(a0) === stop) break stopped;
        j++;
        if (e4(a0) === stop) break stopped;
        j++;
        if (e5(a0) === stop) break stopped;
        j++;
        if (e6(a0) === stop) break stopped;
        j++;
        if (e7(a0) === stop) break stopped;
      } catch (error) {
        c.end(j);
        throw error;
      }
      return then(a0);
    }
    return c.end(j);
  };
}

function block2x0(e: Exits, at: number, count: DispatchCount, next: Fn): Fn {
  const [e0, e1, e2, e3, e4, e5, e6, e7] = e;
  const [c, then, k, stop] = [count, next, at, STOP];
  return function block(a0: unknown, a1: unknown) {
    let j = k; // the exit the dispatch is at
    stopped: {
      try {
        if (e0(a0, a1) === stop) break stopped;
        j++;
        if (e1(a0, a1) === stop) break stopped;
        j++;
        if (e2(a0, a1) === stop) break stopped;
        j++;
        if (e3(a0, a1) === stop) break stopped;
        j++;
        if (e4(a0, a1) === stop) break stopped;
        j++;
        if (e5(a0, a1) === stop) break stopped;
        j++;
        if (e6(a0, a1) === stop) break stopped;
        j++;
        if (e7(a0, a1) === stop) break stopped;
      } catch (error) {
        c.end(j);
        throw error;
      }
      return then(a0, a1);
    }
    return c.end(j);
  };
}

function block2x1(e: Exits, at: number, count: DispatchCount, next: Fn): Fn {
  const [e0, e1, e2, e3, e4, e5, e6, e7] = e;
  const [c, then, k, stop] = [count, next, at, STOP];
  return function block(a0: unknown, a1: unknown) {
    let j = k; // the exit the dispatch is at
    stopped: {
      try {
        if (e0(a0, a1) === stop) break stopped;
        j++;
        if (e1(a0, a1) === stop) break stopped;
        j++;
        if (e2(a0, a1) === stop) break stopped;
        j++;
        if (e3(a0, a1) === stop) break stopped;
        j++;
        if (e4(a0, a1) === stop) break stopped;
        j++;
        if (e5(a0, a1) === stop) break stopped;
        j++;
        if (e6(a0, a1) === stop) break stopped;
        j++;
        if (e7(a0, a1) === stop) break stopped;
      } catch (error) {
        c.end(j);
        throw error;
      }
      return then(a0, a1);
    }
    return c.end(j);
  };
}

function block2x2(e: Exits, at: number, count: DispatchCount, next: Fn): Fn {
  const [e0, e1, e2, e3, e4, e5, e6, e7] = e;
  const [c, then, k, stop] = [count, next, at, STOP];
  return function block(a0: unknown, a1: unknown) {
    let j = k; // the exit the dispatch is at
    stopped: {
      try {
        if (e0(a0, a1) === stop) break stopped;
        j++;
        if (e1(a0, a1) === stop) break stopped;
        j++;
        if (e2(a0, a1) === stop) break stopped;
        j++;
        if (e3(a0, a1) === stop) break stopped;
        j++;
        if (e4(a0, a1) === stop) break stopped;
        j++;
        if (e5(a0, a1) === stop) break stopped;
        j++;
        if (e6(a0, a1) === stop) break stopped;
        j++;
        if (e7(a0, a1) === stop) break stopped;
      } catch (error) {
        c.end(j);
        throw error;
      }
      return then(a0, a1);
    }
    return c.end(j);
  };
}

function block2x3(e: Exits, at: number, count: DispatchCount, next: Fn): Fn {
  const [e0, e1, e2, e3, e4, e5, e6, e7] = e;
  const [c, then, k, stop] = [count, next, at, STOP];
  return function block(a0: unknown, a1: unknown) {
    let j = k; // the exit the dispatch is at
    stopped: {
      try {
        if (e0(a0, a1) === stop) break stopped;
        j++;
        if (e1(a0, a1) === stop) break stopped;
        j++;
        if (e2(a0, a1) === stop) break stopped;
        j++;
        if (e3(a0, a1) === stop) break stopped;
        j++;
        if (e4(a0, a1) === stop) break stopped;
        j++;
        if (e5(a0, a1) === stop) break stopped;
        j++;
        if (e6(a0, a1) === stop) break stopped;
        j++;
        if (e7(a0, a1) === stop) break stopped;
      } catch (error) {
        c.end(j);
        throw error;
      }
      return then(a0, a1);
    }
    return c.end(j);
  };
}

function block3x0(e: Exits, at: number, count: DispatchCount, next: Fn): Fn {
  const [e0, e1, e2, e3, e4, e5, e6, e7] = e;
  const [c, then, k, stop] = [count, next, at, STOP];
  return function block(a0: unknown, a1: unknown, a2: unknown) {
    let j = k; // the exit the dispatch is at
    stopped: {
      try {
        if (e0(a0, a1, a2) === stop) break stopped;
        j++;
        if (e1(a0, a1, a2) === stop) break stopped;
        j++;
        if (e2(a0, a1, a2) === stop) break stopped;
        j++;
        if (e3(a0, a1, a2) === stop) break stopped;
        j++;
        if (e4(a0, a1, a2) === stop) break stopped;
        j++;
        if (e5(a0, a1, a2) === stop) break stopped;
        j++;
        if (e6(a0, a1, a2) === stop) break stopped;
        j++;
        if (e7(a0, a1, a2) === stop) break stopped;
      } catch (error) {
        c.end(j);
        throw error;
      }
      return then(a0, a1, a2);
    }
    return c.end(j);
  };
}

function block3x1(e: Exits, at: number, count: DispatchCount, next: Fn): Fn {
  const [e0, e1, e2, e3, e4, e5, e6, e7] = e;
  const [c, then, k, stop] = [count, next, at, STOP];
  return function block(a0: unknown, a1: unknown, a2: unknown) {
    let j = k; // the exit the dispatch is at
    stopped: {
      try {
        if (e0(a0, a1, a2) === stop) break stopped;
        j++;
        if (e1(a0, a1, a2) === stop) break stopped;
        j++;
        if (e2(a0, a1, a2) === stop) break stopped;
        j++;
        if (e3(a0, a1, a2) === stop) break stopped;
        j++;
        if (e4(a0, a1, a2) === stop) break stopped;
        j++;
        if (e5(a0, a1, a2) === stop) break stopped;
        j++;
        if (e6(a0, a1, a2) === stop) break stopped;
        j++;
        if (e7(a0, a1, a2) === stop) break stopped;
      } catch (error) {
        c.end(j);
        throw error;
      }
      return then(a0, a1, a2);
    }
    return c.end(j);
  };
}

function block3x2(e: Exits, at: number, count: DispatchCount, next: Fn): Fn {
  const [e0, e1, e2, e3, e4, e5, e6, e7] = e;
  const [c, then, k, stop] = [count, next, at, STOP];
  return function block(a0: unknown, a1: unknown, a2: unknown) {
    let j = k; // the exit the dispatch is at
    stopped: {
      try {
        if (e0(a0, a1, a2) === stop) break stopped;
        j++;
        if (e1(a0, a1, a2) === stop) break stopped;
        j++;
        if (e2(a0, a1, a2) === stop) break stopped;
        j++;
        if (e3(a0, a1, a2) === stop) break stopped;
        j++;
        if (e4(a0, a1, a2) === stop) break stopped;
        j++;
        if (e5(a0, a1, a2) === stop) break stopped;
        j++;
        if (e6(a0, a1, a2) === stop) break stopped;
        j++;
        if (e7(a0, a1, a2) === stop) break stopped;
      } catch (error) {
        c.end(j);
        throw error;
      }
      return then(a0, a1, a2);
    }
    return c.end(j);
  };
}

function block3x3(e: Exits, at: number, count: DispatchCount, next: Fn): Fn {
  const [e0, e1, e2, e3, e4, e5, e6, e7] = e;
  const [c, then, k, stop] = [count, next, at, STOP];
  return function block(a0: unknown, a1: unknown, a2: unknown) {
    let j = k; // the exit the dispatch is at
    stopped: {
      try {
        if (e0(a0, a1, a2) === stop) break stopped;
        j++;
        if (e1(a0, a1, a2) === stop) break stopped;
        j++;
        if (e2(a0, a1, a2) === stop) break stopped;
        j++;
        if (e3(a0, a1, a2) === stop) break stopped;
        j++;
        if (e4(a0, a1, a2) === stop) break stopped;
        j++;
        if (e5(a0, a1, a2) === stop) break stopped;
        j++;
        if (e6(a0, a1, a2) === stop) break stopped;
        j++;
        if (e7(a0, a1, a2) === stop) break stopped;
      } catch (error) {
        c.end(j);
        throw error;
      }
      return then(a0, a1, a2);
    }
    return c.end(j);
  };
}
