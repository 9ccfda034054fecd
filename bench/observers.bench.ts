/**
 * Case: what observers cost the program (issue 12). The real control server runs in this process
 * on a Unix socket in a temporary runtime directory; 40 functions of a CommonJS module carry a
 * latency attachment each (attached over the socket, as `hookwire attach` does). One operation is
 * a fixed unit of probed work: every one of the 40 functions called a few times per batch, with
 * the event loop let in between batches (so the stats timers, and the writes to subscribers, run
 * inside the measured time). It is timed with 0, 1 and 16 stalled event-stream subscribers:
 * clients that open `/v1/events?interval=100` and never read (their socket is paused after the
 * stream's first bytes). Before the fix each subscriber recomputed and sorted the full stats on
 * every tick; now one computation per tick is shared, and a subscriber that is behind costs
 * nothing. Everything (sockets, server, directory) is closed in teardown.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { do_not_optimize } from 'mitata';
import { ControlClient, startControlServer, type ControlServer } from '../src/control/index.ts';
import { createRegistry } from '../src/core/index.ts';
import { mode, type Case } from './harness.ts';

/** Functions carrying a latency attachment. */
const SITES = 40;
/** Calls of each function per batch, and batches per operation (the event loop runs between batches). */
const CALLS = 5;
const BATCHES = mode.quick ? 20 : 6_000;
/** The event stream's shortest interval: the stats tick as often as a client may ask. */
const INTERVAL_MS = 100;

const WORK_SOURCE = `'use strict';
const table = Int32Array.from({ length: 64 }, (_, i) => Math.imul(i + 1, 0x9e3779b1));
for (let s = 0; s < ${SITES}; s++) {
  exports['f' + s] = function (i, h) {
    for (let k = 0; k < 8; k++) h = Math.imul(h ^ table[(i + k + s) & 63], 0x01000193);
    return h & 0x3fffffff;
  };
}
`;

interface Rig {
  readonly root: string;
  readonly server: ControlServer;
  readonly probed: readonly ((i: number, h: number) => number)[];
  readonly subscribers: Socket[];
}

let rig: Rig | undefined;
let starting: Promise<Rig> | undefined;

async function start(): Promise<Rig> {
  const root = mkdtempSync(join(tmpdir(), 'hookwire-bench-observers-'));
  const file = join(root, 'work.cjs');
  writeFileSync(file, WORK_SOURCE);
  const work = createRequire(file)(file) as Record<string, (i: number, h: number) => number>;
  const originals = Array.from({ length: SITES }, (_, s) => work[`f${s}`]!);
  const dir = join(root, 'run');
  mkdirSync(dir, { mode: 0o700 });
  const server = await startControlServer({ registry: createRegistry(), dir, maxSubscribers: 32 });
  const client = new ControlClient({ path: server.path! });
  for (let s = 0; s < SITES; s++) await client.attach({ target: `${file}#f${s}`, exit: 'latency' });
  const probed = Array.from({ length: SITES }, (_, s) => work[`f${s}`]!);
  if (probed.some((f, s) => f === originals[s])) throw new Error('observers: a latency attachment did not probe its function');
  rig = { root, server, probed, subscribers: [] };
  return rig;
}

/** Opens a subscriber that reads the stream's first bytes (so it is subscribed) and then never reads again. */
function openStalled(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    socket.once('error', reject);
    socket.once('data', () => {
      socket.pause();
      socket.off('error', reject);
      socket.on('error', () => {});
      resolve(socket);
    });
    socket.write(`GET /v1/events?interval=${INTERVAL_MS} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
  });
}

/** Brings the number of stalled subscribers to `n` (nothing to do when it already is). */
async function observers(n: number): Promise<Rig> {
  const r = rig ?? (await (starting ??= start()));
  while (r.subscribers.length > n) {
    const socket = r.subscribers.pop()!;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.destroy();
    });
  }
  while (r.subscribers.length < n) r.subscribers.push(await openStalled(r.server.path!));
  // Let the server see closed streams and the new ones tick once before anything is timed.
  await new Promise<void>((resolve) => setTimeout(resolve, 2 * INTERVAL_MS));
  return r;
}

/** One unit of probed work: BATCHES × SITES × CALLS calls, the event loop let in after each batch. */
async function unit(r: Rig): Promise<void> {
  const fns = r.probed;
  let acc = 0;
  for (let b = 0; b < BATCHES; b++) {
    for (let s = 0; s < SITES; s++) {
      const f = fns[s]!;
      for (let c = 0; c < CALLS; c++) acc ^= f(b + c, acc);
    }
    await yieldToLoop();
  }
  do_not_optimize(acc);
}

/** Whether the current rig already has `n` subscribers (then the operation is the unit of work alone). */
const settled = (n: number) => rig !== undefined && rig.subscribers.length === n;

function teardown(): void {
  const r = rig;
  rig = undefined;
  starting = undefined;
  if (r === undefined) return;
  for (const socket of r.subscribers) socket.destroy();
  r.subscribers.length = 0;
  // close() stops listening and ends the streams synchronously; the runner may exit right after.
  void r.server.close();
  rmSync(r.root, { recursive: true, force: true });
}

const OPS_PER_UNIT = BATCHES * SITES * CALLS;

export const cases: Case[] = [
  {
    id: 'observers',
    kind: 'time',
    heavy: true,
    title: 'Program work with 40 latency attachments and 0, 1, 16 stalled event-stream subscribers',
    measures:
      `A fixed unit of probed work (${SITES} functions, each with a latency attachment made over the in-process control server's Unix socket, ` +
      `called in batches with the event loop let in between), per call, while 0, 1 or 16 clients hold /v1/events?interval=${INTERVAL_MS} open and never read. ` +
      'Baseline: no subscriber. A ratio above 1 is the share of the program the observers take.',
    baseline: '0 subscribers',
    checks: [
      { label: '16 stalled subscribers / 1 stalled subscriber <= 1.10', num: '16 stalled subscribers', den: '1 stalled subscriber', op: '<=', value: 1.1 },
    ],
    teardown,
    benches: [
      {
        name: '0 subscribers',
        role: 'baseline',
        ops: OPS_PER_UNIT,
        fn: async () => {
          await unit(settled(0) ? rig! : await observers(0));
        },
      },
      {
        name: '1 stalled subscriber',
        role: 'hookwire',
        ops: OPS_PER_UNIT,
        fn: async () => {
          await unit(settled(1) ? rig! : await observers(1));
        },
      },
      {
        name: '16 stalled subscribers',
        role: 'hookwire',
        ops: OPS_PER_UNIT,
        note: 'each opened /v1/events and paused its socket after the first bytes',
        fn: async () => {
          await unit(settled(16) ? rig! : await observers(16));
        },
      },
    ],
  },
];
