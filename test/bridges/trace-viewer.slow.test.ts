// A `--format chrome` file opened in a real trace viewer: the Performance panel of the Chrome
// DevTools inside Debian's Chromium (docs/bridges/devtools-viewer.mjs; chrome://tracing is gone from
// Chromium 156). The file comes from `hookwire trace … --format chrome --out F` on the example
// service; what the viewer understood is read from its own model (the panel's parsed trace) and
// must match the file event by event: names, start, duration, thread id and args of every slice,
// the process and thread names, no warnings. A file that is not a trace is refused by the viewer.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { ChromeEvent } from '../../src/exits/chrome-format.ts';
import { example, root, runCli, tempDir } from '../control/helpers.ts';

interface Slice {
  name: string;
  ph: string;
  ts: number;
  dur: number;
  tid: number;
  args: Record<string, unknown>;
}
interface Model {
  viewer: string;
  rawEvents: number;
  generic: boolean;
  warnings: { kind: string; events: number }[];
  pageErrors: string[];
  processes: { pid: number; name: string | null; threads: { tid: number; name: string | null; slices: Slice[] }[] }[];
}
interface Viewer {
  CHROMIUM: string;
  launch(): Promise<Browser>;
  openTrace(browser: Browser, file: string, options?: { timeoutMs?: number }): Promise<{ page: Page; model: Model }>;
}

const viewer = (await import(pathToFileURL(join(root, 'docs/bridges/devtools-viewer.mjs')).href)) as Viewer;
const QUOTE = './examples/service/pricing.cjs#quote';
const PLACE = './examples/service/orders.mjs#OrderStore.prototype.place';
const skip = existsSync(viewer.CHROMIUM) ? false : `no Chromium at ${viewer.CHROMIUM} (apt-get install -y chromium, or set HOOKWIRE_CHROMIUM)`;

test('hookwire trace --format chrome: the DevTools Performance panel parses every slice as written', { timeout: 120_000, skip }, async () => {
  using tmp = tempDir('hw-tv-');
  const file = join(tmp.path, 'shop.json');
  const r = await runCli(['trace', '--format', 'chrome', '--out', file, QUOTE, PLACE, 'shop:request', '--', example], {}, 60_000);
  assert.equal(r.code, 0, r.stderr);
  const events = JSON.parse(readFileSync(file, 'utf8')) as ChromeEvent[];
  const complete = events.filter((e) => e.ph === 'X');
  assert.ok(
    complete.some((e) => e.name === `probe:${QUOTE}` && e.tid === 0),
    'quote calls on the main thread',
  );
  assert.ok(
    complete.some((e) => e.name === `probe:${PLACE}` && e.tid >= 1000),
    'async place calls on a lane',
  );

  const browser = await viewer.launch();
  try {
    const { model } = await viewer.openTrace(browser, file, { timeoutMs: 45_000 });
    assert.match(model.viewer, /^Chrome DevTools Performance panel, Chromium \d+\./u);
    assert.deepEqual(model.pageErrors, []);
    assert.deepEqual(model.warnings, [], 'the viewer raised no warning about any event');
    assert.equal(model.generic, true, 'read as a generic (non-browser) trace');
    assert.equal(model.rawEvents, events.length, 'the viewer read every event of the file');

    // One process, named by our metadata event, with the threads our metadata names.
    const meta = (name: string) => events.filter((e) => e.ph === 'M' && e.name === name);
    const pid = events[0]!.pid;
    assert.deepEqual(
      model.processes.map((p) => [p.pid, p.name]),
      [[pid, meta('process_name')[0]!.args['name']]],
    );
    const threads = model.processes[0]!.threads;
    const threadNames = new Map(meta('thread_name').map((e) => [e.tid, e.args['name']]));
    assert.equal(threadNames.get(0), 'main');
    assert.equal(threadNames.get(1000), 'async 1');
    assert.deepEqual(
      threads.map((t) => [t.tid, t.name]).sort(),
      [...new Set(complete.map((e) => e.tid))].map((tid) => [tid, threadNames.get(tid)]).sort(),
    );

    // Each thread's slices in the viewer are exactly the file's complete events on that thread.
    for (const t of threads) {
      const written = complete
        .filter((e) => e.tid === t.tid)
        .map((e) => ({ name: e.name, ph: 'X', ts: e.ts, dur: e.dur, tid: e.tid, args: e.args }))
        .sort((a, b) => a.ts - b.ts);
      const parsed = [...t.slices].sort((a, b) => a.ts - b.ts);
      assert.deepEqual(parsed, written, `thread ${t.name} (${t.tid})`);
    }
    const slices = threads.flatMap((t) => t.slices);
    // The summary's row for quote: "probe:…#quote   HITS  P50 …".
    const row = (r.stdout + r.stderr).split('\n').find((line) => line.startsWith(`probe:${QUOTE} `));
    const quoteHits = Number(row?.trim().split(/\s+/u)[1]);
    assert.ok(quoteHits >= 5, row);
    assert.equal(slices.filter((s) => s.name === `probe:${QUOTE}`).length, quoteHits, 'a slice per quote hit the summary counted');
    assert.ok(
      slices.some((s) => (s.args['error'] as { name?: string } | undefined)?.name === 'RangeError'),
      'the error of a throwing call is in its slice',
    );
    // Instants (a hook's fire) are read, but this panel draws no slice for them.
    assert.ok(events.some((e) => e.ph === 'i'));
    assert.ok(!slices.some((s) => s.name === 'shop:request'));
  } finally {
    await browser.close();
  }
});

test('the viewer refuses a file that is not a trace (the check above can fail)', { timeout: 60_000, skip }, async () => {
  using tmp = tempDir('hw-tv-');
  const file = join(tmp.path, 'broken.json');
  writeFileSync(file, '[{"name":"x","ph":"X","ts":1,"dur":');
  const browser = await viewer.launch();
  try {
    // The viewer's own JSON reading fails in the page, and no parsed trace ever appears.
    await assert.rejects(viewer.openTrace(browser, file, { timeoutMs: 8000 }), /the viewer never showed a parsed trace.*page errors: [^;]*JSON/su);
  } finally {
    await browser.close();
  }
});
