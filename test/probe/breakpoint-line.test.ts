// Line probes (issue 10): `FILE:LINE[:COLUMN]` through the in-process inspector's breakpoints, in a
// CommonJS file, an ES module and a TypeScript build with a source map, each hit exactly as often
// as its line runs, with the frame's arguments; exits that need the return are refused; removal
// leaves the answers as they were and no inspector session; bad specs answer one-line errors.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseProbeSpec, probeSpec } from '../../src/probe/index.ts';
import { sessionOpen } from '../../src/probe/breakpoint-session.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const D = './test/fixtures/breakpoint';

test('line probes in CommonJS, an ES module and a TypeScript build: exact hits, arguments, nothing left', () => {
  // A real TypeScript build: tsc writes shapes.js and shapes.js.map (CommonJS) to a directory of its own.
  const build = mkdtempSync(join(tmpdir(), 'hw-ts-'));
  let out: string;
  try {
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    const src = join(root, 'test/fixtures/breakpoint/ts/src');
    execFileSync(process.execPath, [
      tsc,
      '--target',
      'es2022',
      '--module',
      'commonjs',
      '--sourceMap',
      '--outDir',
      build,
      '--rootDir',
      src,
      join(src, 'shapes.ts'),
    ]);
    // A plain node process: the test runner's TypeScript loader would compile the fixtures itself.
    out = execFileSync(process.execPath, ['test/fixtures/breakpoint/run-lines.mjs', build], {
      cwd: root,
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '' },
    });
  } finally {
    rmSync(build, { recursive: true, force: true });
  }
  const got = JSON.parse(out) as Record<string, unknown>;
  const answers = [6, [10, -20, 0], '4.00 cm²'];
  assert.deepEqual(got, {
    sessionBefore: false,
    plain: answers,
    via: {
      cjsLoop: ['attached', 'breakpoint'],
      cjsStart: ['attached', 'breakpoint'],
      esmLine: ['attached', 'breakpoint'],
      esmColumn: ['attached', 'breakpoint'],
      ts: ['attached', 'breakpoint'],
    },
    sessionWhileProbed: true,
    probed: answers,
    seen: [
      ['cjs:3', [[1, 2, 3]]],
      ['cjs:5', [[1, 2, 3]]],
      ['cjs:5', [[1, 2, 3]]],
      ['cjs:5', [[1, 2, 3]]],
      ['mjs:6', [[1, -2], 10]],
      ['mjs:6', [[1, -2], 10]],
      // The column names the statement after `if (v < 0)`: only the negative value reaches it.
      ['mjs:6:col', [[1, -2], 10]],
      // shapes.ts line 11 is line 5 of the compiled file; the default parameter is not an argument.
      ['ts:11', [{ kind: 'square', size: 2 }]],
      ['cjs:3', [[4, 5]]],
      ['cjs:5', [[4, 5]]],
      ['cjs:5', [[4, 5]]],
      ['cjs:3', [[1]]],
      ['cjs:3', [[1]]],
      ['cjs:5', [[1]]],
    ],
    hits: { cjsLoop: 3, cjsStart: 1, esmLine: 2, esmColumn: 1, ts: 1 },
    latency: 'ERR_PROBE_BREAKPOINT',
    count: 2,
    disarmed: 5,
    rearmed: 6,
    sessionAfter: false,
    after: answers,
  });
});

test('line specs parse as FILE:LINE[:COLUMN]; bad ones are one-line errors with stable codes, nothing opened', () => {
  assert.deepEqual(parseProbeSpec('./lib/db.mjs:42'), { spec: './lib/db.mjs:42', module: './lib/db.mjs', path: [], line: 42 });
  assert.deepEqual(parseProbeSpec('src/x.ts:42:7'), { spec: 'src/x.ts:42:7', module: 'src/x.ts', path: [], line: 42, column: 7 });
  // A `#` makes it a MODULE#PATH spec, as before.
  assert.deepEqual(parseProbeSpec('./a.mjs:3#f').path, ['f']);
  const refusals: [string, string, RegExp][] = [
    [`${D}/lines.mjs:0`, 'ERR_INVALID_ARG', /the line must be a whole number from 1, got "0"/u],
    [`${D}/lines.mjs:abc`, 'ERR_INVALID_ARG', /the line must be a whole number from 1, got "abc"/u],
    [`${D}/lines.mjs:3:0`, 'ERR_INVALID_ARG', /the column must be a whole number from 1/u],
    [`${D}/lines.mjs:`, 'ERR_INVALID_ARG', /the line must be a whole number from 1, got ""/u],
    [`${D}/missing.mjs:3`, 'ERR_MODULE_NOT_FOUND', /cannot find module ".\/test\/fixtures\/breakpoint\/missing.mjs"/u],
    [`${D}/lines.mjs:99`, 'ERR_PROBE_TARGET', /line 99 is past the end of .*lines\.mjs \(10 lines\)/u],
  ];
  for (const [spec, code, message] of refusals) {
    assert.throws(
      () => probeSpec(spec, {}),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, code, spec);
        assert.match(error.message, message);
        assert.doesNotMatch(error.message, /\n/u);
        return true;
      },
    );
  }
  assert.equal(sessionOpen(), false, 'a refused spec opens no inspector session');
});
