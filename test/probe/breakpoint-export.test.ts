// ES module exports reached late (issue 10): a module loaded before any spec named its export,
// with the loader or in a program started without it. The probe starts on an inspector
// breakpoint; the first call hands the export's binding over to the boosted wrapper (that call
// runs unprobed, counted as missed), after which every exit works (leave, async, throws); a const
// binding stays on the breakpoint, entry only, and says so; removal gives every binding its
// original back and closes the inspector session. Node 20, 22 and 24 answer the same.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const stats = (hits: number, missed: number) => ({ hits, faults: 0, missed });
const expected = {
  sessionBefore: false,
  before: {
    add: ['attached', 'breakpoint'],
    renamed: ['attached', 'breakpoint'],
    twice: ['attached', 'breakpoint'],
    later: ['attached', 'breakpoint'],
  },
  calls: [3, 7, 11, 4, 6, 'local a', 'local b'],
  async: [1, 2, 'negative'],
  after: {
    add: ['attached', 'wrapper', stats(2, 1)],
    renamed: ['attached', 'wrapper', stats(1, 1)],
    twice: ['attached', 'breakpoint', stats(2, 0)],
    later: ['attached', 'wrapper', stats(2, 1)],
  },
  seen: [
    // add(1, 2) handed the binding over: unprobed. ns.add (the namespace) reaches the wrapper too.
    ['add', 'enter', [3, 4]],
    ['add', 'leave', 7],
    ['add', 'enter', [5, 6]],
    ['add', 'leave', 11],
    // A const arrow: entry only; an arrow has no `arguments`, its parameters are read by name.
    ['twice', 'enter', [2]],
    ['twice', 'enter', [3]],
    // Exported under another name: handed over through its local binding.
    ['renamed', 'enter', ['b']],
    ['renamed', 'leave', 'local b'],
    ['later', 'enter', [2]],
    ['later', 'leave', 2],
    ['later', 'enter', [-1]],
    ['later', 'error', 'negative'],
    ['add', 'enter', [10, 10]],
    ['add', 'leave', 20],
    ['again', 'leave', 20],
  ],
  faults: [
    'ERR_PROBE_BREAKPOINT: stays a breakpoint probe (entry only): its binding "twice" cannot be assigned (Assignment to constant variable.): a const',
  ],
  swapped: true,
  again: ['wrapper', 20, stats(1, 0)],
  restored: true,
  sessionAfter: false,
  final: [2, 2, 'local c', 3],
  counts: { add: stats(3, 1), renamed: stats(1, 1), twice: stats(2, 0), later: stats(2, 1) },
  // Two probes on one breakpoint, the first removed before any call: the other is handed over alone.
  shared: ['removed', 'wrapper', [6], stats(1, 1)],
};

for (const [name, args] of [
  ['without the loader (a program started with plain node)', []],
  ['with the loader, the module loaded before the spec', ['--import', './dist/probe/register.js']],
] as const) {
  test(`late ES module exports ${name}: breakpoint, hand-over, every exit, exact restore`, () => {
    const out = execFileSync(process.execPath, [...args, 'test/fixtures/breakpoint/run-exports.mjs'], {
      cwd: root,
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '' },
    });
    assert.deepEqual(JSON.parse(out), expected);
  });
}
