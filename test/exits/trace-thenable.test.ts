// trace of a function that returns a promise without being async: the record is written when the
// promise settles, with its value (or error) and the time until then; the program keeps the same
// promise and sees its own rejection.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRegistry } from '../../src/core/index.ts';
import { trace, type TraceRecord } from '../../src/exits/index.ts';
import { probe } from '../../src/probe/index.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function traced<T extends object>(obj: T, key: keyof T & string) {
  const records: TraceRecord[] = [];
  const t = trace({ sink: { callback: (r: TraceRecord) => void records.push(r) } });
  const p = probe(obj, key, t.forProbe(), { registry: createRegistry() });
  return { t, p, records };
}

test('a sync function returning a promise: one record at settlement, with the value and the time until then', async () => {
  let made: Promise<string> | undefined;
  const obj = {
    request(ms: number): Promise<string> {
      made = sleep(ms).then(() => 'body');
      return made;
    },
  };
  const { p, records } = traced(obj, 'request');
  try {
    const got = obj.request(50);
    assert.equal(got, made, 'identity kept');
    assert.equal(records.length, 0, 'nothing written before it settles');
    assert.equal(await got, 'body');
    await sleep(0);
  } finally {
    p.remove();
  }
  assert.equal(records.length, 1);
  const r = records[0]!;
  assert.equal(r.result, 'body', 'the settled value, not the promise');
  assert.equal(r.async, true);
  assert.ok(typeof r.durationMs === 'number' && r.durationMs >= 40, `${r.durationMs} ms covers the 50 ms timer`);
});

test('a rejected promise: recorded as an error at settlement, counted, and the program still sees its rejection', async () => {
  const obj = {
    request(): Promise<never> {
      return sleep(20).then(() => {
        throw new RangeError('refused');
      });
    },
  };
  const { t, p, records } = traced(obj, 'request');
  try {
    await assert.rejects(obj.request(), { name: 'RangeError', message: 'refused' });
    await sleep(0);
  } finally {
    p.remove();
  }
  assert.equal(records.length, 1);
  assert.deepEqual(records[0]!.error && { name: records[0]!.error.name, message: records[0]!.error.message }, { name: 'RangeError', message: 'refused' });
  assert.equal(t.report().sites[p.hook]!.errors, 1);
});

test('a value that is not a thenable is recorded at return, as before', () => {
  const obj = { f: (a: number): number => a * 2 };
  const { p, records } = traced(obj, 'f');
  try {
    assert.equal(obj.f(21), 42);
  } finally {
    p.remove();
  }
  assert.equal(records.length, 1);
  assert.equal(records[0]!.result, 42);
  assert.equal(records[0]!.async, false);
});
