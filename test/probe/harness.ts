// Shared fixtures for the probe tests: one target of every kind, each reporting what a caller can
// observe (this, new.target, arguments), so a test can compare probed and unprobed calls.
import { runInNewContext } from 'node:vm';
import { createRegistry } from '../../src/core/index.ts';
import type { Registry } from '../../src/core/index.ts';

export interface KindCase {
  /** describeTarget's kind. */
  kind: string;
  /** Whether the probe can be boosted. */
  boostable: boolean;
  /** A fresh holder object with the target under `fn`. */
  make(): Record<string, any>;
  /** Calls the target through the holder with (a, b) and returns what the caller sees (awaited). */
  call(holder: Record<string, any>, a: number, b: number): Promise<unknown>;
  /** Makes the target throw (b === -1 means throw). */
  failing: true;
}

const boom = (b: number) => {
  if (b === -1) throw new RangeError('boom');
};

export const KIND_CASES: KindCase[] = [
  {
    kind: 'plain',
    boostable: true,
    make: () => ({
      fn: function sum(this: any, a: number, b: number) {
        boom(b);
        return { sum: a + b, self: this?.tag };
      },
      tag: 'holder',
    }),
    call: async (h, a, b) => h.fn(a, b),
    failing: true,
  },
  {
    kind: 'method',
    boostable: true,
    make: () => ({
      tag: 'holder',
      fn(a: number, b: number) {
        boom(b);
        return { sum: a + b, self: (this as any).tag };
      },
    }),
    call: async (h, a, b) => h.fn(a, b),
    failing: true,
  },
  {
    kind: 'arrow',
    boostable: true,
    make: () => ({
      fn: (a: number, b: number) => {
        boom(b);
        return { sum: a + b };
      },
    }),
    call: async (h, a, b) => h.fn(a, b),
    failing: true,
  },
  {
    kind: 'async',
    boostable: true,
    make: () => ({
      tag: 'holder',
      async fn(a: number, b: number) {
        await null;
        boom(b);
        return { sum: a + b, self: (this as any).tag };
      },
    }),
    call: async (h, a, b) => {
      const p = h.fn(a, b);
      if (!(p instanceof Promise)) throw new Error('async target must return a promise');
      return await p;
    },
    failing: true,
  },
  {
    kind: 'generator',
    boostable: true,
    make: () => ({
      *fn(a: number, b: number) {
        yield a;
        yield b;
        boom(b);
        return a + b;
      },
    }),
    call: async (h, a, b) => {
      const it = h.fn(a, b);
      const seen: unknown[] = [];
      for (;;) {
        const step = it.next();
        if (step.done) return { yielded: seen, returned: step.value };
        seen.push(step.value);
      }
    },
    failing: true,
  },
  {
    kind: 'asyncGenerator',
    boostable: true,
    make: () => ({
      async *fn(a: number, b: number) {
        yield a;
        await null;
        yield b;
        boom(b);
        return a + b;
      },
    }),
    call: async (h, a, b) => {
      const it = h.fn(a, b);
      const seen: unknown[] = [];
      for (;;) {
        const step = await it.next();
        if (step.done) return { yielded: seen, returned: step.value };
        seen.push(step.value);
      }
    },
    failing: true,
  },
  {
    kind: 'class',
    boostable: true,
    make: () => {
      class Point {
        static created = 0;
        #secret: number;
        x: number;
        nt: unknown;
        constructor(a: number, b: number) {
          boom(b);
          this.#secret = a * b;
          this.x = a + b;
          this.nt = new.target;
          Point.created++;
        }
        get secret() {
          return this.#secret;
        }
      }
      return { fn: Point, Point };
    },
    call: async (h, a, b) => {
      const p = new h.fn(a, b);
      return { sum: p.x, secret: p.secret, isPoint: p instanceof h.fn && p instanceof h.Point, ntIsOriginal: p.nt === h.Point };
    },
    failing: true,
  },
  {
    kind: 'bound',
    boostable: false,
    make: () => {
      const self = { tag: 'bound-this' };
      return {
        fn: function (this: any, a: number, b: number) {
          boom(b);
          return { sum: a + b, self: this.tag };
        }.bind(self),
      };
    },
    call: async (h, a, b) => h.fn(a, b),
    failing: true,
  },
  {
    kind: 'native',
    boostable: false,
    make: () => ({
      // A native function (another realm's Math.max: this realm's JavaScript built-ins cannot be
      // probed, see src/probe/intrinsics.ts) that throws for b === -1 (see call).
      fn: runInNewContext('Math.max') as (...values: unknown[]) => number,
    }),
    call: async (h, a, b) => {
      // Math.max reads valueOf: the error thrown there is this realm's, like every other case's.
      if (b === -1) return h.fn({ valueOf: () => boom(b) }, 2);
      return { max: h.fn(a, b) };
    },
    failing: true,
  },
  {
    kind: 'plain', // reads `arguments`: not boostable
    boostable: false,
    make: () => ({
      fn: function sumAll(a: number, b: number) {
        boom(b);
        let s = 0;
        // Reading `arguments` is the point: such a function cannot be boosted.
        // eslint-disable-next-line prefer-rest-params
        for (let i = 0; i < arguments.length; i++) s += arguments[i];
        return { sum: s, count: arguments.length };
      },
    }),
    call: async (h, a, b) => h.fn(a, b, 100),
    failing: true,
  },
];

/** A registry per test, so hook names never collide across tests. */
export function freshRegistry(): Registry {
  return createRegistry();
}

/** Awaits `v` when it is a promise; returns { ok, value } so thrown and rejected look alike. */
export async function outcome(run: () => Promise<unknown>): Promise<{ ok: boolean; value: unknown }> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return { ok: false, value: error instanceof Error ? `${error.name}: ${error.message}` : error };
  }
}
