// A SIGKILL that lands inside a record's write leaves the bytes copied so far (chrome-format.ts):
// the file then ends inside its last record. readChromeTrace reads such a file without that record,
// whatever byte the cut falls on, and `hookwire run` mends the file (and the parts of forked
// processes) when the run ends, and says so.
import assert from 'node:assert/strict';
import { existsSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { HookError } from '../../src/core/index.ts';
import { finishChromeTrace } from '../../src/control/processes/chrome-parts.ts';
import { ChromeTraceFile, readChromeTrace } from '../../src/exits/chrome-format.ts';
import type { TraceRecord } from '../../src/exits/sinks.ts';
import { root, runCli, tempDir } from '../control/helpers.ts';

const CLOSE = '\n]\n';

function record(n: number, async = false): TraceRecord {
  return { time: 1_700_000_000_000 + n, site: 'probe:cut', event: 'call', args: [n, 'x'.repeat(n % 40)], result: n * 2, durationMs: 1.5, async };
}

/** The file after `count` records, and after one more (`last`). */
function writeTrace(dir: string, count: number, last: TraceRecord): { before: string; after: string } {
  const path = join(dir, `t${count}.json`);
  const fd = openSync(path, 'w+');
  const sink = new ChromeTraceFile(fd, path);
  for (let n = 0; n < count; n++) sink.write(record(n));
  const before = readFileSync(path, 'utf8');
  sink.write(last);
  sink.close();
  return { before, after: readFileSync(path, 'utf8') };
}

for (const [kind, last] of [
  ['a call record (one event)', record(99)],
  ['an async call on a new lane (two events in one write)', record(98, true)],
] as const) {
  test(`a write cut at any byte of ${kind}: read without that record, or with it when it is whole`, () => {
    using tmp = tempDir();
    const { before, after } = writeTrace(tmp.path, 6, last);
    const old = JSON.parse(before) as unknown[];
    const whole = JSON.parse(after) as unknown[];
    assert.ok(whole.length > old.length);
    // The record's write starts over the old closing bracket; a cut keeps its first k bytes.
    const at = before.length - CLOSE.length;
    const written = after.slice(at);
    let cut = 0;
    for (let k = 0; k <= written.length; k++) {
      const text = before.slice(0, at) + written.slice(0, k) + before.slice(at + k);
      const read = readChromeTrace(text);
      // Every whole event is kept, and nothing that was not written is made up.
      assert.ok(read.events.length >= old.length, `cut at ${k}`);
      assert.deepEqual(read.events, whole.slice(0, read.events.length), `cut at ${k}`);
      if (read.cut) cut++;
    }
    assert.ok(cut > written.length / 2, `${cut} cuts of ${written.length}`);
    assert.deepEqual(readChromeTrace(after), { events: whole, cut: false });
  });
}

test('readChromeTrace refuses what is no Chrome trace, cut or not, with ERR_INVALID_ARG', () => {
  for (const text of ['', 'hello', '{"traceEvents":[]}', '{"a":1,\n"b":', '[\n', '\n\n\n\n']) {
    assert.throws(
      () => readChromeTrace(text),
      (e: unknown) => e instanceof HookError && e.code === 'ERR_INVALID_ARG' && /not a Chrome trace file/u.test(e.message),
      JSON.stringify(text),
    );
  }
});

test('finishChromeTrace: mends a cut file and a cut part, folds the parts, removes them; a whole file alone is left as it is', () => {
  using tmp = tempDir();
  const file = join(tmp.path, 'run.json');
  const cutText = (events: object[]) => `[\n${events.map((e) => JSON.stringify(e)).join(',\n')},\n{"name":"cu`;
  writeFileSync(file, cutText([{ name: 'a', pid: 1 }]));
  writeFileSync(
    `${file}.p22`,
    cutText([
      { name: 'b', pid: 22 },
      { name: 'c', pid: 22 },
    ]),
  );
  writeFileSync(`${file}.p33`, `[\n${JSON.stringify({ name: 'd', pid: 33 })}${CLOSE}`);
  writeFileSync(`${file}.p44`, 'not a trace');
  const done = finishChromeTrace(file);
  assert.deepEqual(done, { left: [`${file}.p44`], cut: [file, `${file}.p22`] });
  assert.deepEqual(
    (JSON.parse(readFileSync(file, 'utf8')) as { name: string }[]).map((e) => e.name),
    ['a', 'b', 'c', 'd'],
  );
  assert.deepEqual(readdirSync(tmp.path).sort(), ['run.json', 'run.json.p44']);

  const whole = join(tmp.path, 'whole.json');
  const text = `[\n{"name":"a"}${CLOSE}`;
  writeFileSync(whole, text);
  assert.deepEqual(finishChromeTrace(whole), { left: [], cut: [] });
  assert.equal(readFileSync(whole, 'utf8'), text);
  // No file at all (the program traced nothing): nothing to do, nothing made.
  assert.deepEqual(finishChromeTrace(join(tmp.path, 'none.json')), { left: [], cut: [] });
  assert.equal(existsSync(join(tmp.path, 'none.json')), false);
});

test('hookwire run --format chrome mends a file that ends inside a record, and says so in one line', async () => {
  using tmp = tempDir();
  const file = join(tmp.path, 'run.json');
  const fixture = join(root, 'test/bridges/fixtures/cut-own-trace.cjs');
  const { code, stderr } = await runCli(
    ['run', '--format', 'chrome', '--out', file, '--probe', './test/bridges/fixtures/work.cjs#step=trace', '--', fixture],
    {
      HOOKWIRE_RUNTIME_DIR: tmp.path,
    },
  );
  assert.equal(code, 0, stderr);
  assert.match(
    stderr,
    new RegExp(
      `hookwire: ${file.replaceAll('.', '\\.')} ended inside a record \\(its writer was killed while writing it\\): mended, without that record\\n`,
      'u',
    ),
  );
  const events = JSON.parse(readFileSync(file, 'utf8')) as { name: string; ph: string }[];
  assert.equal(events.filter((e) => e.ph === 'X' && e.name === 'probe:./test/bridges/fixtures/work.cjs#step').length, 5);
  assert.equal(events.filter((e) => e.name === 'probe:cut').length, 0);
});
