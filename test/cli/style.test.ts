// Colour only on a terminal and never with NO_COLOR; tables line up whatever the colour.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ms, styleFor, table } from '../../src/cli/output.ts';
import { frame, type TopRow } from '../../src/cli/top.ts';

test('styles are ANSI on a terminal, plain with NO_COLOR (any non-empty value), off a terminal, or on a dumb one', () => {
  assert.equal(styleFor({ isTTY: true }, {}).red('x'), '\x1b[31mx\x1b[39m');
  assert.equal(styleFor({ isTTY: true }, { NO_COLOR: '1' }).red('x'), 'x');
  assert.equal(styleFor({ isTTY: true }, { NO_COLOR: 'yes' }).bold('x'), 'x');
  assert.equal(styleFor({ isTTY: false }, {}).red('x'), 'x');
  assert.equal(styleFor({}, {}).green('x'), 'x');
  assert.equal(styleFor({ isTTY: true }, { TERM: 'dumb' }).cyan('x'), 'x');
});

test('tables align by visible width, coloured or not', () => {
  const plain = table(
    ['A', 'N'],
    [
      ['x', '1'],
      ['long', '22'],
    ],
    ['left', 'right'],
  );
  assert.equal(plain, 'A      N\nx      1\nlong  22');
  const style = styleFor({ isTTY: true }, {});
  const coloured = table(
    ['A', 'N'],
    [
      [style.red('x'), '1'],
      ['long', '22'],
    ],
    ['left', 'right'],
    style,
  );
  assert.equal(coloured.replace(/\x1b\[\d+m/gu, ''), plain);
});

test('durations read well', () => {
  assert.deepEqual([null, 0.01234, 1.5, 12.34, 250, 12_345].map(ms), ['-', '0.012ms', '1.50ms', '12.3ms', '250ms', '12.3s']);
});

test('a top frame has a header line and one row per site, without colour under NO_COLOR', () => {
  const rows: TopRow[] = [
    { site: 'probe:./a.js#f', kind: 'probe', armed: true, hits: 10, rate: 2.5, p50Ms: 0.1, p99Ms: 1, maxMs: 2, faults: 0, missed: 1 },
    { site: 'app:x', kind: 'hook', armed: false, hits: 0, rate: null, p50Ms: null, p99Ms: null, maxMs: null, faults: 3, missed: 0 },
  ];
  const text = frame({ pid: 7, argv: ['node', 'app.js'], uptimeMs: 61_000 }, rows, styleFor({ isTTY: true }, { NO_COLOR: '1' }), Infinity);
  assert.doesNotMatch(text, /\x1b/u);
  const lines = text.split('\n');
  assert.match(lines[0]!, /^hookwire top {2}pid 7 {2}app\.js {2}up 1m01s {2}\d\d:\d\d:\d\dZ$/u);
  assert.match(lines[2]!, /^SITE\s+KIND\s+STATE\s+HITS\s+RATE\/s\s+P50\s+P99\s+MAX\s+FAULTS\s+MISSED$/u);
  assert.match(lines[3]!, /^probe:\.\/a\.js#f\s+probe\s+armed\s+10\s+2\.5\s+0\.100ms\s+1\.00ms\s+2\.00ms\s+0\s+1$/u);
  assert.match(lines[4]!, /^app:x\s+hook\s+idle\s+0\s+-\s+-\s+-\s+-\s+3\s+0$/u);
  assert.equal(frame({ pid: 7 }, rows, styleFor({}, {}), 4).split('\n').length, 4, 'cut to the terminal height');
});
