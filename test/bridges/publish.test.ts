// hookwire sites as channels: the publish exit puts each hit of a hook or probe on the
// TracingChannel hookwire:<site>, which existing subscribers consume.
import assert from 'node:assert/strict';
import dc from 'node:diagnostics_channel';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { createRegistry, hook } from '../../src/core/index.ts';
import { attach, channelNameOf, publish, type PublishMessage } from '../../src/exits/index.ts';
import type { Probe } from '../../src/probe/index.ts';

const require = createRequire(import.meta.url);
const work = require('./fixtures/work.cjs') as { step(n: number): number; wait(ms: number): Promise<number>; fail(m: string): never };
const SPEC = './test/bridges/fixtures/work.cjs';

function record(name: string) {
  const seen: [string, PublishMessage][] = [];
  const handlers = Object.fromEntries(
    (['start', 'end', 'asyncStart', 'asyncEnd', 'error'] as const).map((event) => [
      event,
      (m: unknown) => seen.push([event, { ...(m as PublishMessage) }]),
    ]),
  ) as unknown as Parameters<dc.TracingChannel['subscribe']>[0];
  const channel = dc.tracingChannel(name);
  channel.subscribe(handlers);
  return { seen, stop: () => channel.unsubscribe(handlers) };
}

test('a probe published as hookwire:<site>: start/end for sync calls, error, asyncStart/asyncEnd at settlement', async () => {
  const registry = createRegistry();
  const p = publish();
  const probes = ['step', 'fail', 'wait'].map((name) => attach(p, `${SPEC}#${name}`, { registry }) as Probe);
  assert.equal(channelNameOf(`probe:${SPEC}#step`), `hookwire:probe:${SPEC}#step`);
  const step = record(`hookwire:probe:${SPEC}#step`);
  const fail = record(`hookwire:probe:${SPEC}#fail`);
  const wait = record(`hookwire:probe:${SPEC}#wait`);
  const r = work.step(4);
  assert.throws(() => work.fail('x'), /x/u);
  assert.equal(await work.wait(5), 5);
  for (const s of [step, fail, wait]) s.stop();
  work.step(5); // no subscriber: nothing published, the hit still counted
  for (const x of probes) x.remove();
  assert.deepEqual(
    step.seen.map(([event, m]) => [event, m.site, m.args, m.result]),
    [
      ['start', `probe:${SPEC}#step`, [4], undefined],
      ['end', `probe:${SPEC}#step`, [4], r],
    ],
  );
  assert.deepEqual(
    fail.seen.map(([event, m]) => [event, (m.error as Error | undefined)?.message]),
    [
      ['start', undefined],
      ['error', 'x'],
      ['end', 'x'],
    ],
  );
  assert.deepEqual(
    wait.seen.map(([event, m]) => [event, m.result]),
    [
      ['start', undefined],
      // wait returns a promise: end when it returns (no result yet), as tracePromise publishes.
      ['end', undefined],
      ['asyncStart', 5],
      ['asyncEnd', 5],
    ],
  );
  assert.deepEqual(p.report().sites[`probe:${SPEC}#step`], { hits: 2, published: 1, faults: 0, subscribed: false, waiting: false });
});

test('a declared hook published: start and end with the arguments; a tracing: site of hookwire reads them back', () => {
  const registry = createRegistry();
  const h = hook<[path: string]>('app:open', { registry, args: ['path'] });
  attach(publish(), h);
  const seen = record('hookwire:app:open');
  h.fire('/etc/hosts');
  seen.stop();
  assert.deepEqual(
    seen.seen.map(([event, m]) => [event, m.args]),
    [
      ['start', ['/etc/hosts']],
      ['end', ['/etc/hosts']],
    ],
  );
});
