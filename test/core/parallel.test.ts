// Parallel hooks: every exit starts synchronously in order, the promise settles after all of them,
// and faults are handled as Promise.all would (propagate) or reported one by one (isolate).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FaultEvent } from '../../src/core/index.ts';
import { KIND_CASES, fresh } from './harness.ts';

const parallel = KIND_CASES.find((k) => k.combine === 'parallel')!;

/** A promise and its resolvers, to settle exits in a chosen order. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((a, b) => {
    resolve = a;
    reject = b;
  });
  return { promise, resolve, reject };
}

/** Collects unhandled rejections while `run` runs, and a few turns after it. */
async function unhandledDuring(run: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const on = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', on);
  try {
    await run();
    await new Promise((r) => setTimeout(r, 10));
  } finally {
    process.off('unhandledRejection', on);
  }
  return seen;
}

for (const args of [undefined, ['a']]) {
  const shape = args ? 'args' : 'rest';

  test(`parallel (${shape}): all exits start before fire returns; it settles after the last`, async () => {
    const { hook } = fresh(parallel, args ? { args } : {});
    const events: string[] = [];
    const ds = [deferred(), deferred(), deferred()];
    ds.forEach((d, i) =>
      hook.register(
        async (v: unknown) => {
          events.push(`start ${i} ${String(v)}`);
          await d.promise;
          events.push(`end ${i}`);
        },
        { armed: true },
      ),
    );
    hook.register((v: unknown) => void events.push(`sync ${String(v)}`), { armed: true });
    let settled = false;
    const p = (hook.fire('v') as Promise<unknown>).then((r) => {
      settled = true;
      return r;
    });
    assert.deepEqual(events, ['start 0 v', 'start 1 v', 'start 2 v', 'sync v']);
    ds[2]!.resolve();
    ds[0]!.resolve();
    await new Promise((r) => setTimeout(r, 1));
    assert.equal(settled, false);
    ds[1]!.resolve();
    assert.equal(await p, undefined);
    assert.deepEqual(events.slice(4), ['end 2', 'end 0', 'end 1']);
    assert.deepEqual(
      hook.exits.map((e) => e.stats.hits),
      [1, 1, 1, 1],
    );
  });

  test(`parallel (${shape}), faults propagate: the first rejection rejects at once; later ones are not unhandled`, async () => {
    const { hook } = fresh(parallel, args ? { args } : {});
    const ds = [deferred(), deferred(), deferred()];
    ds.forEach((d) => hook.register(() => d.promise, { armed: true }));
    const unhandled = await unhandledDuring(async () => {
      const p = hook.fire('v') as Promise<unknown>;
      ds[1]!.reject(new RangeError('first'));
      await assert.rejects(p, /first/);
      ds[0]!.reject(new Error('second'));
      ds[2]!.resolve();
    });
    assert.deepEqual(unhandled, []);
  });

  test(`parallel (${shape}), faults propagate: a synchronous throw rejects, and later exits do not start`, async () => {
    const { hook } = fresh(parallel, args ? { args } : {});
    const started: number[] = [];
    const first = deferred();
    hook.register(() => (started.push(0), first.promise), { armed: true });
    hook.register(
      () => {
        started.push(1);
        throw new TypeError('sync');
      },
      { armed: true },
    );
    hook.register(() => void started.push(2), { armed: true });
    const unhandled = await unhandledDuring(async () => {
      const p = hook.fire('v') as Promise<unknown>;
      assert.ok(p instanceof Promise, 'fire never throws synchronously');
      await assert.rejects(p, TypeError);
      first.reject(new Error('after the throw'));
    });
    assert.deepEqual(started, [0, 1]);
    assert.deepEqual(unhandled, []);
  });

  test(`parallel (${shape}), faults isolated: each fault is reported and counts as settled`, async () => {
    const { hook, registry } = fresh(parallel, args ? { faults: 'isolate', args } : { faults: 'isolate' });
    const events: FaultEvent[] = [];
    registry.onFault((e) => events.push(e));
    const late = deferred();
    hook.register(() => late.promise, { armed: true, name: 'rejects' });
    hook.register(
      () => {
        throw new TypeError('sync');
      },
      { armed: true, name: 'throws' },
    );
    hook.register(
      () => ({
        then() {
          throw new RangeError('bad then');
        },
      }),
      { armed: true, name: 'bad-then' },
    );
    let ran = false;
    hook.register(() => void (ran = true), { armed: true, name: 'fine' });
    const p = hook.fire('v') as Promise<unknown>;
    late.reject(new Error('late'));
    assert.equal(await p, undefined);
    assert.ok(ran);
    assert.deepEqual(events.map((e) => e.exit).sort(), ['bad-then', 'rejects', 'throws']);
    assert.deepEqual(
      hook.exits.map((e) => e.stats.faults),
      [1, 1, 1, 0],
    );
  });
}

test('parallel: synchronize() waits for a dispatch in flight', async () => {
  const { hook, registry } = fresh(parallel);
  const d = deferred();
  hook.register(() => d.promise, { armed: true });
  void hook.fire();
  let synced = false;
  const s = registry.synchronize().then(() => (synced = true));
  await new Promise((r) => setTimeout(r, 1));
  assert.equal(synced, false);
  d.resolve();
  await s;
  assert.equal(synced, true);
});
