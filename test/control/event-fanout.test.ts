// The event stream's cost to the program does not grow with its subscribers: stats are computed
// once per interval for all of them, a trace record is serialised once, and a stalled subscriber
// costs nothing while it is behind (its events are counted as dropped).
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { test } from 'node:test';
import { EventHub } from '../../src/control/events.ts';
import type { TraceRecord } from '../../src/exits/index.ts';

/** The part of a ServerResponse the hub uses; `writableLength` set high makes it a stalled reader. */
class FakeResponse extends EventEmitter {
  chunks: string[] = [];
  writableLength = 0;
  writableEnded = false;
  destroyed = false;
  writeHead(): this {
    return this;
  }
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
  end(): void {
    this.writableEnded = true;
  }
  events(kind: string): string[] {
    return this.chunks.filter((c) => c.startsWith(`event: ${kind}\n`));
  }
}

const STALLED = 4 << 20;

function statsSource(counter: { n: number }) {
  return () => {
    counter.n++;
    return { time: Date.now(), hooks: [], attachments: [] };
  };
}

test('stats are computed once per interval, however many subscribers there are', (t) => {
  t.mock.timers.enable({ apis: ['setInterval', 'Date'] });
  const computed: number[] = [];
  for (const n of [1, 16]) {
    const hub = new EventHub();
    const counter = { n: 0 };
    const responses = Array.from({ length: n }, () => new FakeResponse());
    for (const res of responses) hub.subscribe(res as unknown as ServerResponse, 1000, statsSource(counter));
    t.mock.timers.tick(5000);
    computed.push(counter.n);
    assert.equal(hub.statsComputed, counter.n);
    for (const res of responses) {
      assert.equal(res.events('stats').length, 6, 'each subscriber gets the first tick and one per interval');
      assert.match(res.events('stats')[1]!, /"hooks":\[\],"attachments":\[\],"dropped":0\}/u);
    }
    hub.close();
  }
  assert.equal(computed[1], computed[0], `computations with 1 and 16 subscribers: ${computed.join(', ')}`);
});

test('stalled subscribers cost nothing: a record is serialised once, their stats are not computed, their losses are counted', (t) => {
  t.mock.timers.enable({ apis: ['setInterval', 'Date'] });
  const hub = new EventHub();
  const counter = { n: 0 };
  const live = new FakeResponse();
  const stalled = Array.from({ length: 15 }, () => new FakeResponse());
  hub.subscribe(live as unknown as ServerResponse, 1000, statsSource(counter));
  for (const res of stalled) {
    hub.subscribe(res as unknown as ServerResponse, 1000, statsSource(counter));
    res.writableLength = STALLED;
  }
  let serialised = 0;
  const record = (i: number): TraceRecord => ({
    time: i,
    site: 'app:x',
    event: 'fire',
    args: {
      toJSON() {
        serialised++;
        return i;
      },
    },
  });
  for (let i = 0; i < 100; i++) hub.trace(record(i));
  assert.equal(serialised, 100, 'one serialisation per record, not one per subscriber');
  assert.equal(live.events('trace').length, 100);
  for (const res of stalled) assert.equal(res.events('trace').length, 0);

  // Only the stalled subscribers left: a tick computes nothing.
  live.destroyed = true;
  const before = counter.n;
  t.mock.timers.tick(3000);
  assert.equal(counter.n, before, 'no stats are computed for subscribers that cannot take them');

  // A subscriber that catches up learns how much it lost.
  const back = stalled[0]!;
  back.writableLength = 0;
  t.mock.timers.tick(1000);
  assert.match(back.events('stats').at(-1)!, /"dropped":103\}/u);
  hub.close();
});
