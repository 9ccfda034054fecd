// synchronize(): after it resolves, an exit disarmed before the call never runs again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRegistry } from '../../src/core/index.ts';
import { KIND_CASES, fire, fresh } from './harness.ts';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

for (const kind of KIND_CASES.filter((k) => k.async)) {
  test(`${kind.name}: synchronize waits for dispatches that started before it, not after`, async () => {
    const { hook, registry } = fresh(kind);
    const gate = deferred();
    const log: string[] = [];
    const slow = hook.register(
      async () => {
        await gate.promise;
        log.push('slow done');
      },
      { armed: true },
    );
    const inflight = fire(hook, 0);
    slow.disarm();
    let synced = false;
    const sync = registry.synchronize().then(() => {
      synced = true;
      log.push('synced');
    });
    const fast = hook.register(async () => void log.push('fast'), { armed: true });
    await fire(hook, 0); // started after synchronize(): not waited for, and it runs now
    assert.equal(synced, false, 'still waiting for the slow dispatch');
    gate.resolve();
    await inflight;
    await sync;
    assert.deepEqual(log, ['fast', 'slow done', 'synced']);
    fast.disarm();
  });
}

test('synchronize resolves at once when nothing is in flight, and a later one waits for an earlier one', async () => {
  const registry = createRegistry();
  await registry.synchronize();
  const { hook, registry: r2 } = fresh(KIND_CASES[3]!);
  const gate = deferred();
  hook.register(() => gate.promise, { armed: true });
  const p = fire(hook);
  const first = r2.synchronize();
  const second = r2.synchronize(); // its own epoch is empty, but the first is not
  let secondDone = false;
  void second.then(() => (secondDone = true));
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(secondDone, false);
  gate.resolve();
  await p;
  await Promise.all([first, second]);
  assert.equal(secondDone, true);
});

test('a rejected dispatch still leaves the epoch', async () => {
  const { hook, registry } = fresh(KIND_CASES[3]!);
  hook.register(
    async () => {
      throw new Error('x');
    },
    { armed: true },
  );
  await assert.rejects(fire(hook));
  const p = fire(hook).catch(() => undefined);
  await registry.synchronize();
  await p;
});
