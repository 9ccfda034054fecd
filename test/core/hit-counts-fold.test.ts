// A dispatcher's count is folded into its exits' own counters once the dispatcher is collected
// (src/core/hit-counts.ts): a hook toggled through many armed sets keeps a bounded number of
// live counts, and its hits are the same before and after the fold. Node only: it forces a
// garbage collection through node:v8 and node:vm.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { hook, type Exit } from '../../src/core/index.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const liveCounts = (e: Exit) => (e as unknown as { _state: { counts: Set<unknown> | null } })._state.counts?.size ?? 0;

test('counts of collected dispatchers are folded into the exit: bounded, and no hit lost', async () => {
  const h = hook<[n: number]>('test:hits-fold', { args: ['n'] });
  const a = h.register(() => undefined, { armed: true });
  const others = Array.from({ length: 3 }, () => h.register(() => undefined));
  let fires = 0;
  // Cycle through armed sets the hook keeps no state for: each change builds a new dispatcher.
  for (let round = 0; round < 200; round++) {
    const o = others[round % 3]!;
    o.arm();
    h.fire(round);
    fires++;
    o.disarm();
    h.fire(round);
    fires++;
  }
  assert.equal(a.stats.hits, fires);
  const before = liveCounts(a);
  assert.ok(before > 10, `dispatchers were built and not yet collected (${before} live counts)`);
  for (let k = 0; k < 10 && liveCounts(a) > 4; k++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10)); // cleanup callbacks run as tasks
  }
  assert.ok(liveCounts(a) <= 4, `only the kept states' dispatchers remain counted (${liveCounts(a)} of ${before} left)`);
  assert.equal(a.stats.hits, fires, 'folding moved the hits, it lost none');
  h.fire(0);
  assert.equal(a.stats.hits, fires + 1);
  assert.deepEqual(
    others.map((o) => o.stats.hits),
    [67, 67, 66], // each armed for one fire of every third round
  );
});
