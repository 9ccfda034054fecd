// Opens a Chrome trace file in a real trace viewer that works offline: the Performance panel of
// the Chrome DevTools that ship inside Chromium (devtools://devtools/bundled/trace_app.html, the
// page behind `chrome://inspect`'s "Open dedicated DevTools", here driven by playwright-core).
// chrome://tracing (the old catapult viewer) is gone from Chromium 156: with internal debug pages
// enabled it still fails with net::ERR_FAILED. What the viewer parsed is read from its own model
// (TimelinePanel's parsed trace), not from the file, so a test can tell what the viewer understood.
// Used by view-in-chromium.mjs and test/bridges/trace-viewer.slow.test.ts.
import { chromium } from 'playwright-core';

/** The Chromium binary (Debian's package; HOOKWIRE_CHROMIUM overrides it). */
export const CHROMIUM = process.env.HOOKWIRE_CHROMIUM || '/usr/bin/chromium';

const VIEWER = 'devtools://devtools/bundled/trace_app.html';

/** Starts headless Chromium as the UI tests do. */
export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'], timeout: 60_000 });
}

/**
 * Loads `file` into the Performance panel through its own "Load trace…" file input and waits (at
 * most `timeoutMs`) until the panel has a parsed trace. Returns the page and what the viewer's
 * model holds: every process and thread it found with their names and the slices on each thread.
 * Rejects with the panel's text if the viewer never shows a parsed trace (it failed to import).
 */
export async function openTrace(browser, file, { width = 1400, height = 800, timeoutMs = 30_000 } = {}) {
  const page = await browser.newPage({ viewport: { width, height } });
  page.setDefaultTimeout(timeoutMs);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(VIEWER);
  // Without a page to inspect the app first says its connection closed: dismiss that.
  await page.getByRole('button', { name: 'Close' }).first().click();
  await page.getByText('Performance', { exact: true }).first().click();
  await page.locator('input[type=file]').setInputFiles(file);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const model = await page.evaluate(readModel).catch((e) => ({ pending: String(e) }));
    if (!('pending' in model))
      return { page, model: { ...model, viewer: `Chrome DevTools Performance panel, Chromium ${browser.version()}`, pageErrors: errors } };
    if (Date.now() > deadline) {
      const text = await page.evaluate(() => globalThis.document.body.innerText).catch(() => '?');
      throw new Error(
        `the viewer never showed a parsed trace (${model.pending}); page errors: ${errors.join('; ')}; the panel says: ${text.slice(0, 500)}`,
      );
    }
    await page.waitForTimeout(200);
  }
}

/** Runs in the DevTools page: the panel's parsed trace as plain data (throws until there is one). */
async function readModel() {
  const timeline = await import('./panels/timeline/timeline.js');
  const panel = timeline.TimelinePanel.TimelinePanel.instance();
  const data = panel.getParsedTraceForLayoutTests();
  const raw = panel.getTraceEngineRawTraceEventsForLayoutTests();
  const processes = [...data.Renderer.processes.entries()].map(([pid, p]) => ({
    pid,
    name: data.Meta.processNames.get(pid)?.args?.name ?? null,
    threads: [...p.threads.entries()].map(([tid, t]) => ({
      tid,
      name: t.name ?? null,
      slices: t.entries.map((e) => ({ name: e.name, ph: e.ph, ts: e.ts, dur: e.dur, tid: e.tid, args: e.args })),
    })),
  }));
  return {
    rawEvents: raw.length,
    generic: data.Meta.traceIsGeneric,
    bounds: { min: data.Meta.traceBounds.min, max: data.Meta.traceBounds.max },
    warnings: [...data.Warnings.perWarning.entries()].map(([kind, events]) => ({ kind, events: events.length })),
    processes,
  };
}
