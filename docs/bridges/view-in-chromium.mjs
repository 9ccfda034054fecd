// Opens a Chrome trace file in Chromium's own DevTools Performance panel (a real trace viewer that
// works offline, see devtools-viewer.mjs), prints what the viewer parsed (threads and slices per
// thread, read from its model) and writes a screenshot of the panel with the process expanded.
// Usage: node docs/bridges/view-in-chromium.mjs TRACE.json OUT.png
import { launch, openTrace } from './devtools-viewer.mjs';

const [input, output] = process.argv.slice(2);
if (input === undefined || output === undefined) {
  console.error('usage: node docs/bridges/view-in-chromium.mjs TRACE.json OUT.png');
  process.exit(2);
}

const browser = await launch();
try {
  const { page, model } = await openTrace(browser, input, { width: 1400, height: 700 });
  console.log(`viewer: ${model.viewer}`);
  console.log(`events read: ${model.rawEvents}; warnings: ${model.warnings.length === 0 ? 'none' : JSON.stringify(model.warnings)}`);
  for (const p of model.processes) {
    for (const t of p.threads) console.log(`${p.name} (pid ${p.pid}) / ${t.name} (tid ${t.tid}): ${t.slices.length} slices`);
  }
  // The keyboard-shortcuts card the panel opens on first use covers the tracks: close it.
  // It comes a moment after the trace, so wait for it (briefly: a later Chromium may not show it).
  const card = page.getByRole('dialog').getByRole('button', { name: 'Close' }).first();
  if (
    await card.waitFor({ timeout: 5000 }).then(
      () => true,
      () => false,
    )
  )
    await card.click();
  // Hide the sidebar, then expand the process's group of tracks.
  const sidebar = page.getByRole('button', { name: /Hide sidebar/u });
  if (await sidebar.count()) await sidebar.first().click();
  await page.waitForTimeout(500);
  // The flame chart is a canvas: the process's group header is its first row, its triangle at the left.
  const chart = page.locator('canvas.flame-chart-canvas').first();
  await chart.click({ position: { x: 12, y: 25 } });
  // Then each thread's track, the lower first so the upper one's row stays where it was.
  await page.waitForTimeout(300);
  await chart.click({ position: { x: 20, y: 63 } });
  await page.waitForTimeout(300);
  await chart.click({ position: { x: 20, y: 43 } });
  // Select the first slice on the main thread, so the Summary shows the event's details and args.
  await page.waitForTimeout(300);
  await chart.click({ position: { x: 200, y: 59 } });
  await page.mouse.move(700, 380);
  // Zoom out to the whole trace (the panel opens on part of it): "s" zooms out in the flame chart.
  for (let i = 0; i < 8; i++) await page.keyboard.press('s');
  await page.waitForTimeout(500);
  await page.screenshot({ path: output });
  console.log(`wrote ${output}`);
} finally {
  await browser.close();
}
