// Renders a Chrome trace file (Trace Event Format JSON) to a PNG the way a trace viewer lays it
// out: one track per thread, complete events as slices nested by time, instants as ticks. For the
// docs' screenshot: Perfetto's UI needs the network, so this draws the events itself in a local
// page in Chromium (playwright-core, /usr/bin/chromium headless).
// Usage: node docs/bridges/render-trace.mjs TRACE.json OUT.png
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const [input, output] = process.argv.slice(2);
if (input === undefined || output === undefined) {
  console.error('usage: node docs/bridges/render-trace.mjs TRACE.json OUT.png');
  process.exit(2);
}
const events = JSON.parse(readFileSync(input, 'utf8'));

const page = `<!doctype html><meta charset="utf-8"><style>
body{margin:0;font:12px system-ui,sans-serif;background:#fff;color:#222}
h1{font-size:14px;margin:10px 12px 4px} .sub{margin:0 12px 8px;color:#666}
svg text{font:11px system-ui,sans-serif}
</style><h1 id="title"></h1><div class="sub" id="sub"></div><svg id="chart" width="1200"></svg>
<script>
const events = ${JSON.stringify(events)};
const names = new Map(events.filter(e => e.ph === 'M' && e.name === 'thread_name').map(e => [e.tid, e.args.name]));
const proc = events.find(e => e.ph === 'M' && e.name === 'process_name');
const work = events.filter(e => e.ph === 'X' || e.ph === 'i');
const t0 = Math.min(...work.map(e => e.ts)), t1 = Math.max(...work.map(e => e.ts + (e.dur || 0)));
document.getElementById('title').textContent = proc ? proc.args.name + ' (pid ' + proc.pid + ')' : 'trace';
document.getElementById('sub').textContent = work.length + ' events over ' + ((t1 - t0) / 1000).toFixed(1) + ' ms; slices are complete ("X") events, ticks are instants ("i")';
const tids = [...new Set(work.map(e => e.tid))].sort((a, b) => a - b);
const W = 1200, left = 90, right = 10, row = 18, scale = (W - left - right) / Math.max(1, t1 - t0);
const colors = ['#4e79a7','#f28e2b','#e15759','#76b7b2','#59a14f','#edc948','#b07aa1','#ff9da7'];
const color = new Map(); const colorOf = n => { if (!color.has(n)) color.set(n, colors[color.size % colors.length]); return color.get(n); };
let y = 24, svg = '';
for (let ms = 0; ms <= (t1 - t0) / 1000; ms += Math.max(1, Math.ceil((t1 - t0) / 1000 / 12))) {
  const x = left + ms * 1000 * scale;
  svg += '<line x1="'+x+'" x2="'+x+'" y1="14" y2="100%" stroke="#eee"/><text x="'+(x+2)+'" y="12" fill="#888">'+ms+' ms</text>';
}
for (const tid of tids) {
  const mine = work.filter(e => e.tid === tid).sort((a, b) => a.ts - b.ts || (b.dur || 0) - (a.dur || 0));
  const stack = []; let depth = 0;
  const placed = mine.map(e => { while (stack.length && stack[stack.length - 1] <= e.ts) stack.pop(); const d = e.ph === 'X' ? stack.length : 0; if (e.ph === 'X') stack.push(e.ts + e.dur); depth = Math.max(depth, d + 1); return [e, d]; });
  svg += '<text x="6" y="'+(y+13)+'" font-weight="600">'+(names.get(tid) || 'tid ' + tid)+'</text>';
  for (const [e, d] of placed) {
    const x = left + (e.ts - t0) * scale, yy = y + d * row;
    if (e.ph === 'i') { svg += '<rect x="'+(x-1)+'" y="'+yy+'" width="2" height="'+(row-2)+'" fill="#555"><title>'+e.name+'</title></rect>'; continue; }
    const w = Math.max(1.5, e.dur * scale), label = e.name.replace(/^probe:.*#/, '') + ' ' + (e.dur / 1000).toFixed(2) + ' ms';
    svg += '<rect x="'+x+'" y="'+yy+'" width="'+w+'" height="'+(row-2)+'" rx="2" fill="'+colorOf(e.name)+'"><title>'+e.name+'</title></rect>';
    if (w > 60) svg += '<text x="'+(x+3)+'" y="'+(yy+12)+'" fill="#fff">'+label.slice(0, Math.floor(w / 6.5))+'</text>';
  }
  y += depth * row + 10;
  svg += '<line x1="0" x2="'+W+'" y1="'+(y-5)+'" y2="'+(y-5)+'" stroke="#ddd"/>';
}
let ly = y + 6;
for (const [n, c] of color) { svg += '<rect x="'+left+'" y="'+ly+'" width="10" height="10" fill="'+c+'"/><text x="'+(left+14)+'" y="'+(ly+9)+'">'+n+'</text>'; ly += 15; }
const chart = document.getElementById('chart'); chart.setAttribute('height', ly + 6); chart.innerHTML = svg;
</script>`;

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const tab = await browser.newPage({ viewport: { width: 1200, height: 300 } });
  await tab.setContent(page);
  await tab.screenshot({ path: output, fullPage: true });
} finally {
  await browser.close();
}
console.log(`wrote ${output}`);
