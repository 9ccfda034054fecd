// One colour decision: a terminal, no NO_COLOR (non-empty), no TERM=dumb; the CLI's styles and
// trace lines follow it alike.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { colorEnabled, colorStyle } from '../../src/exits/color.ts';
import { formatTrace, traceColors } from '../../src/exits/trace-line.ts';
import { styleFor } from '../../src/cli/output.ts';

const CASES: [{ isTTY?: boolean } | undefined, Record<string, string | undefined>, boolean][] = [
  [{ isTTY: true }, {}, true],
  [{ isTTY: true }, { NO_COLOR: '1' }, false],
  [{ isTTY: true }, { NO_COLOR: 'yes' }, false],
  [{ isTTY: true }, { NO_COLOR: '' }, true],
  [{ isTTY: true }, { TERM: 'dumb' }, false],
  [{ isTTY: true }, { TERM: 'xterm-256color' }, true],
  [{ isTTY: false }, {}, false],
  [{}, {}, false],
  [undefined, {}, false],
];

test('colorEnabled: a terminal, NO_COLOR unset or empty, TERM not dumb', () => {
  for (const [stream, env, want] of CASES) assert.equal(colorEnabled(stream, env), want, JSON.stringify([stream, env]));
});

test('the CLI styles and trace lines follow the same decision', () => {
  const record = { time: 0, site: 'a:b', event: 'fire', args: [1] };
  for (const [stream, env, want] of CASES) {
    if (stream === undefined) continue;
    assert.equal(styleFor(stream, env).on, want);
    assert.equal(/\x1b\[/u.test(formatTrace(record, traceColors(colorEnabled(stream, env)))), want);
  }
  assert.equal(colorStyle(true).cyan('x'), '\x1b[36mx\x1b[39m');
  assert.equal(colorStyle(false).cyan('x'), 'x');
});
