/**
 * Case: what the bridges cost while nobody listens (issue 14). The same small function (an 8-step
 * hash, a few nanoseconds) as `disarmed`:
 * - with a diagnostics_channel publish guarded by `hasSubscribers` (how Node and libraries
 *   publish), bare and with a hookwire `dc:` site attached to that channel but disarmed (hookwire
 *   subscribes only while armed, so the channel stays inactive);
 * - with a hookwire hook site that is not published (no exit), and published as
 *   `hookwire:<site>` by a `publish` exit with no subscriber on that channel (the exit waits
 *   disarmed: publish follows the channel's subscribers);
 * - called through an object whose method is not probed, and through one whose method has a
 *   followed probe with a `publish` exit and no subscriber (the original stays in place).
 * Every benchmark body is its own function literal and calls OPS times in its own loop.
 */
import dc from 'node:diagnostics_channel';
import { do_not_optimize } from 'mitata';
import { createRegistry, hook } from '../src/core/index.ts';
import { attach, count, publish } from '../src/exits/index.ts';
import { probe } from '../src/probe/index.ts';
import { OPS, tick, type Case } from './harness.ts';

const table = Int32Array.from({ length: 64 }, (_, i) => Math.imul(i + 1, 0x9e3779b1));
const registry = createRegistry();
const bare = dc.channel('bench:bridges-bare');
const watched = dc.channel('bench:bridges-watched');
// A dc: site on the watched channel, attached and then disarmed: nothing stays subscribed.
attach(count(), 'dc:bench:bridges-watched', { registry, armed: false });
const unpublished = hook<[i: number, h: number]>('bench:bridges-unpublished', { registry, args: ['i', 'h'] });
const published = hook<[i: number, h: number]>('bench:bridges-published', { registry, args: ['i', 'h'] });
attach(publish(), published);
published.fire(0, 0); // the publish exit sees no subscriber and waits, disarmed
if (watched.hasSubscribers || dc.tracingChannel('hookwire:bench:bridges-published').hasSubscribers) throw new Error('nothing may listen here');
if (published.enabled) throw new Error('a publish exit with no subscriber must wait disarmed');

function plain(i: number): number {
  let h = 0x811c9dc5 | 0;
  for (let k = 0; k < 8; k++) h = Math.imul(h ^ table[(i + k) & 63]!, 0x01000193);
  return h & 0x3fffffff;
}

function withBareChannel(i: number): number {
  let h = 0x811c9dc5 | 0;
  for (let k = 0; k < 8; k++) h = Math.imul(h ^ table[(i + k) & 63]!, 0x01000193);
  if (bare.hasSubscribers) bare.publish({ i, h });
  return h & 0x3fffffff;
}

function withWatchedChannel(i: number): number {
  let h = 0x811c9dc5 | 0;
  for (let k = 0; k < 8; k++) h = Math.imul(h ^ table[(i + k) & 63]!, 0x01000193);
  if (watched.hasSubscribers) watched.publish({ i, h });
  return h & 0x3fffffff;
}

// Two objects of the same shape, each with its own copy of the function: one not probed, one
// whose method has a followed publish probe (with no subscriber, so the original stays).
const notProbed = { hash: makeHash() };
const probed = { hash: makeHash() };
const publisher = publish();
const probedSite = probe(probed, 'hash', publisher.forProbe(), { registry });
publisher.follow(probedSite);
if (probedSite.armed || dc.tracingChannel(`hookwire:${probedSite.hook}`).hasSubscribers) throw new Error('the publish probe must wait disarmed');

function makeHash(): (i: number) => number {
  return function hash(i: number): number {
    let h = 0x811c9dc5 | 0;
    for (let k = 0; k < 8; k++) h = Math.imul(h ^ table[(i + k) & 63]!, 0x01000193);
    return h & 0x3fffffff;
  };
}

function withUnpublished(i: number): number {
  let h = 0x811c9dc5 | 0;
  for (let k = 0; k < 8; k++) h = Math.imul(h ^ table[(i + k) & 63]!, 0x01000193);
  unpublished.fire(i, h);
  return h & 0x3fffffff;
}

function withPublished(i: number): number {
  let h = 0x811c9dc5 | 0;
  for (let k = 0; k < 8; k++) h = Math.imul(h ^ table[(i + k) & 63]!, 0x01000193);
  published.fire(i, h);
  return h & 0x3fffffff;
}

export const cases: Case[] = [
  {
    id: 'bridges',
    kind: 'time',
    title: 'Bridges while nobody listens: a dc: site attached but disarmed, a hook and a probe published as hookwire:<site> with no subscriber',
    measures:
      'One call of a small function (8-step hash) with a channel publish guarded by hasSubscribers, or a hook site. ' +
      'dc: disarmed / channel alone and published / not published (hook and probe) are the costs of the bridges while nothing listens.',
    baseline: 'no channel, no hook',
    checks: [
      { label: 'dc: site disarmed / channel alone <= 1.05', num: 'channel, dc: site attached and disarmed', den: 'channel alone', op: '<=', value: 1.05 },
      {
        label: 'published, no subscriber / not published <= 1.05',
        num: 'hook, published, no subscriber',
        den: 'hook, not published',
        op: '<=',
        value: 1.05,
      },
      {
        label: 'probe published, no subscriber / not probed <= 1.05',
        num: 'method, probe published, no subscriber',
        den: 'method, not probed',
        op: '<=',
        value: 1.05,
      },
    ],
    benches: [
      {
        name: 'no channel, no hook',
        role: 'baseline',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          let acc = 0;
          for (let i = base; i < base + OPS; i++) acc ^= plain(i);
          do_not_optimize(acc);
        },
      },
      {
        name: 'channel alone',
        role: 'reference',
        note: 'diagnostics_channel guarded by hasSubscribers, nothing subscribed',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          let acc = 0;
          for (let i = base; i < base + OPS; i++) acc ^= withBareChannel(i);
          do_not_optimize(acc);
        },
      },
      {
        name: 'channel, dc: site attached and disarmed',
        role: 'hookwire',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          let acc = 0;
          for (let i = base; i < base + OPS; i++) acc ^= withWatchedChannel(i);
          do_not_optimize(acc);
        },
      },
      {
        name: 'hook, not published',
        role: 'reference',
        note: 'a hookwire site with no exit (idle fire)',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          let acc = 0;
          for (let i = base; i < base + OPS; i++) acc ^= withUnpublished(i);
          do_not_optimize(acc);
        },
      },
      {
        name: 'hook, published, no subscriber',
        role: 'hookwire',
        note: 'a publish exit waiting, disarmed, for a subscriber',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          let acc = 0;
          for (let i = base; i < base + OPS; i++) acc ^= withPublished(i);
          do_not_optimize(acc);
        },
      },
      {
        name: 'method, not probed',
        role: 'reference',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          let acc = 0;
          for (let i = base; i < base + OPS; i++) acc ^= notProbed.hash(i);
          do_not_optimize(acc);
        },
      },
      {
        name: 'method, probe published, no subscriber',
        role: 'hookwire',
        note: 'a followed probe with a publish exit: disarmed, the original in place, while nobody listens',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          let acc = 0;
          for (let i = base; i < base + OPS; i++) acc ^= probed.hash(i);
          do_not_optimize(acc);
        },
      },
    ],
  },
];
