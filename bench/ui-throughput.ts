// Does an open `hookwire ui` page slow the program it watches? A CPU-bound program
// (test/ui/fixtures/hot-program.mjs: ~100k hits/s on the hook bench:work, with count and latency
// exits and a trace exit recording every 1000th hit) runs under `hookwire run`; `hookwire ui` serves
// it. Each round has three phases in rotating order: no page (Chromium on about:blank: the UI
// server reads nothing from the program), a Node reader of the page's event stream (the program's
// and the UI server's share, without a browser), and the dashboard open in headless Chromium (live
// charts, trace stream). The program's hit rate in each phase, divided by the no-page phase of the
// same round, gives the ratios; the CPU the browser and the UI server used is read from /proc.
//
//   npm run build && node --import tsx bench/ui-throughput.ts [--rounds 5] [--phase-ms 3000]
//
// Bounded: the program stops by itself after 90 s; the default run takes about 50 s. Linux only (/proc).
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { ControlClient } from '../src/control/client.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist/cli/main.js');
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, 'phase-ms': { type: 'string', default: '3000' } } });
const ROUNDS = Number(values.rounds);
const PHASE_MS = Number(values['phase-ms']);
/** The first part of a phase is not measured: the page loads, or its stream winds down. */
const SETTLE_MS = 1000;

const dir = mkdtempSync('/tmp/hw-uib-');
chmodSync(dir, 0o700);
const env = { ...process.env, HOOKWIRE_RUNTIME_DIR: dir, HOT_SECONDS: '90' };
const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const c of children) c.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

/** The program's running total of hits, with the time each sample arrived. */
const samples: { at: number; hits: number; cpu: number }[] = [];
const program = spawn(process.execPath, [cli, 'run', '--hook', 'bench:work=count,latency', '--', 'test/ui/fixtures/hot-program.mjs'], {
  cwd: root,
  env,
  stdio: ['ignore', 'pipe', 'inherit'],
});
children.push(program);
let pending = '';
program.stdout.setEncoding('utf8');
program.stdout.on('data', (chunk: string) => {
  pending += chunk;
  let nl: number;
  while ((nl = pending.indexOf('\n')) !== -1) {
    const line = pending.slice(0, nl);
    pending = pending.slice(nl + 1);
    if (!line.startsWith('{')) continue;
    const { hits, cpu } = JSON.parse(line) as { hits: number; cpu: number };
    samples.push({ at: Date.now(), hits, cpu });
  }
});

const sock = await until(() => readdirSync(dir).find((f) => f.endsWith('.sock')), 'the agent socket');
const client = new ControlClient({ path: join(dir, sock) });
await client.attach({ target: 'bench:work', exit: { type: 'trace', every: 1000 } });

const ui = spawn(process.execPath, [cli, 'ui', '--no-open'], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
children.push(ui);
let uiOut = '';
ui.stdout.setEncoding('utf8');
ui.stdout.on('data', (c: string) => (uiOut += c));
const url = await until(() => /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/u.exec(uiOut)?.[0], 'the UI URL');
const home = new URL('/', url).href;

const browser = await chromium.launch({
  executablePath: process.env['HOOKWIRE_CHROMIUM'] || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
await page.goto(url); // trades the token for the session cookie
await page.getByRole('rowheader', { name: 'bench:work', exact: true }).waitFor({ timeout: 20_000 });
await page.goto('about:blank');

const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
type Mode = 'closed' | 'stream' | 'page';

/**
 * One phase: `closed` (no page: the UI server reads nothing from the program), `stream` (a Node
 * reader of the page's event stream, no browser: the program's and the UI server's share of the
 * cost), `page` (the dashboard open in Chromium). Returns the program's hits per second of wall
 * time and per second of its own CPU time, and the CPU the browser and the UI server used (in % of
 * one core).
 */
async function phase(mode: Mode): Promise<{ wall: number; cpu: number; browserCpu: number; uiCpu: number }> {
  const start = Date.now();
  let reader: ReturnType<typeof request> | undefined;
  if (mode === 'page') {
    await page.goto(home);
    await page.getByRole('rowheader', { name: 'bench:work', exact: true }).waitFor({ timeout: 20_000 });
  } else {
    await page.goto('about:blank');
    if (mode === 'stream') {
      reader = request(new URL('/api/events', home), { headers: { cookie, origin: new URL(home).origin } }, (res) => res.resume());
      reader.on('error', () => undefined);
      reader.end();
    }
  }
  await sleep(SETTLE_MS - (Date.now() - start));
  const cpu0 = { browser: treeCpu(process.pid, /chrom/u), ui: treeCpu(ui.pid!) };
  const t0 = Date.now();
  await sleep(PHASE_MS - (Date.now() - start));
  const seconds = (Date.now() - t0) / 1000;
  const used = { browser: treeCpu(process.pid, /chrom/u) - cpu0.browser, ui: treeCpu(ui.pid!) - cpu0.ui };
  reader?.destroy();
  const window = samples.filter((s) => s.at >= start + SETTLE_MS);
  const first = window[0];
  const last = window.at(-1);
  if (first === undefined || last === undefined || last.at <= first.at) throw new Error('no samples in the phase');
  return {
    wall: ((last.hits - first.hits) / (last.at - first.at)) * 1000,
    cpu: ((last.hits - first.hits) / (last.cpu - first.cpu)) * 1e6,
    browserCpu: (used.browser / seconds) * 100,
    uiCpu: (used.ui / seconds) * 100,
  };
}

const MODES: Mode[] = ['closed', 'stream', 'page'];
const results = new Map<Mode, { wall: number; cpu: number; browserCpu: number; uiCpu: number }[]>(MODES.map((m) => [m, []]));
for (let i = 0; i < ROUNDS; i++) {
  // Rotate the order, so a drift of the machine does not favour one mode.
  const order = MODES.map((_, k) => MODES[(k + i) % MODES.length]!);
  for (const mode of order) results.get(mode)!.push(await phase(mode));
  const r = (m: Mode) => results.get(m)!.at(-1)!;
  console.log(
    `round ${i + 1}: hits/s closed ${Math.round(r('closed').wall)}, stream ${Math.round(r('stream').wall)}, page ${Math.round(r('page').wall)};` +
      ` page CPU: browser ${r('page').browserCpu.toFixed(0)}%, ui server ${r('page').uiCpu.toFixed(0)}%`,
  );
}
await browser.close();

const closed = results.get('closed')!;
const ratio = (mode: Mode, key: 'wall' | 'cpu') => results.get(mode)!.map((r, i) => r[key] / closed[i]![key]);
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
console.log(`${ROUNDS} rounds of ${PHASE_MS} ms phases (the first ${SETTLE_MS} ms of each not measured), node ${process.version}:`);
console.log(`  closed: ${Math.round(Math.min(...closed.map((r) => r.wall)))}–${Math.round(Math.max(...closed.map((r) => r.wall)))} hits/s`);
for (const mode of ['stream', 'page'] as const) {
  console.log(`  ${mode} ÷ closed, hits/s:                 ${summary(ratio(mode, 'wall'))}`);
  console.log(`  ${mode} ÷ closed, hits per program CPU s: ${summary(ratio(mode, 'cpu'))}`);
}
const pageRuns = results.get('page')!;
console.log(
  `  while the page is open: browser ${mean(pageRuns.map((r) => r.browserCpu)).toFixed(0)}% of a core, ui server ${mean(pageRuns.map((r) => r.uiCpu)).toFixed(0)}%` +
    ` (stream only: ui server ${mean(results.get('stream')!.map((r) => r.uiCpu)).toFixed(0)}%)`,
);
process.exit(0);

/** CPU seconds (user + system) used so far by the processes under `pid` (itself included) whose name matches `name`. */
function treeCpu(pid: number, name?: RegExp): number {
  const tick = 100; // USER_HZ on Linux
  const stats = new Map<number, { ppid: number; comm: string; cpu: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/u.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = text.lastIndexOf(')');
      const comm = text.slice(text.indexOf('(') + 1, close);
      const f = text.slice(close + 2).split(' ');
      stats.set(Number(entry), { ppid: Number(f[1]), comm, cpu: (Number(f[11]) + Number(f[12])) / tick });
    } catch {
      // Gone meanwhile.
    }
  }
  let total = 0;
  for (const [p, st] of stats) {
    let q: number | undefined = p;
    while (q !== undefined && q > 1 && q !== pid) q = stats.get(q)?.ppid;
    if (q === pid && (name === undefined || name.test(st.comm))) total += st.cpu;
  }
  return total;
}

/** Median, worst (lowest) and best of ratios. */
function summary(values: number[]): string {
  const v = [...values].sort((x, y) => x - y);
  const mid = v.length % 2 === 1 ? v[(v.length - 1) / 2]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
  return `median ${mid.toFixed(3)}, worst ${v[0]!.toFixed(3)}, best ${v.at(-1)!.toFixed(3)}`;
}

async function until<T>(check: () => T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
