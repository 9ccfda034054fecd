// latency of a function that returns a promise without being async: timed until the promise
// settles, the program gets the same promise back, `then` is read once, no rejection is added.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRegistry } from '../../src/core/index.ts';
import { latency } from '../../src/exits/index.ts';
import { probe } from '../../src/probe/index.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function probed<T extends object>(obj: T, key: keyof T & string) {
  const l = latency();
  const p = probe(obj, key, l.forProbe(), { registry: createRegistry() });
  return { l, p, site: () => l.report().sites[p.hook]! };
}

test('a sync function returning a promise: timed until it settles, the same promise returned', async () => {
  let made: Promise<string> | undefined;
  const obj = {
    request(ms: number): Promise<string> {
      made = sleep(ms).then(() => 'body');
      return made;
    },
  };
  const { p, site } = probed(obj, 'request');
  try {
    const got = obj.request(50);
    assert.equal(got, made, 'identity kept');
    assert.equal(await got, 'body');
    await sleep(0);
  } finally {
    p.remove();
  }
  const s = site();
  assert.equal(s.count, 1);
  assert.equal(s.settled, 1);
  assert.ok(s.p50Ms !== null && s.p50Ms >= 40, `p50 ${s.p50Ms} ms covers the 50 ms timer`);
});

test('a rejected promise: counted as an error, and the program handling it sees no unhandled rejection', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  const obj = {
    request(ms: number): Promise<never> {
      return sleep(ms).then(() => Promise.reject(new Error('refused')));
    },
  };
  const { p, site } = probed(obj, 'request');
  try {
    await assert.rejects(obj.request(50), /refused/u);
    await sleep(20);
  } finally {
    p.remove();
    process.off('unhandledRejection', onUnhandled);
  }
  assert.deepEqual(unhandled, []);
  const s = site();
  assert.equal(s.errors, 1);
  assert.equal(s.settled, 1);
  assert.ok(s.p50Ms !== null && s.p50Ms >= 40, `p50 ${s.p50Ms} ms covers the 50 ms timer`);
});

test('a thenable: its then getter is read once by the probe, and it is timed until it calls back', async () => {
  let reads = 0;
  const thenable = {
    get then() {
      reads++;
      return (resolve: (v: string) => void) => void setTimeout(() => resolve('late'), 50);
    },
  };
  const obj = { get: (): typeof thenable => thenable };
  const { p, site } = probed(obj, 'get');
  try {
    assert.equal(obj.get(), thenable);
    assert.equal(reads, 1, 'the probe read then once');
    await sleep(70);
  } finally {
    p.remove();
  }
  const s = site();
  assert.equal(s.count, 1);
  assert.equal(s.settled, 1);
  assert.ok(s.p50Ms !== null && s.p50Ms >= 40, `p50 ${s.p50Ms} ms covers the 50 ms timer`);
});

test('a then getter that throws, and plain values: timed as returned, nothing thrown into the program', () => {
  const hostile = {
    get then(): never {
      throw new Error('no then');
    },
  };
  const obj = { get: (plain: boolean): unknown => (plain ? 42 : hostile) };
  const { p, site } = probed(obj, 'get');
  try {
    assert.equal(obj.get(false), hostile);
    assert.equal(obj.get(true), 42);
  } finally {
    p.remove();
  }
  const s = site();
  assert.equal(s.count, 2);
  assert.equal(s.settled, 0);
  assert.equal(s.faults, 0);
});
