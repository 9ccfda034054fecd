import { HookError } from '../core/errors.ts';
import type { ControlClient } from '../control/client.ts';
import { budgetOf, isLatencySite, reportSites, type AgentInfo } from '../control/protocol.ts';
import { agentClient } from './agent-client.ts';
import { commonOptions, parse, pidArg, UsageError } from './args.ts';
import { whenClosed, type Command, type Io } from './io.ts';
import { duration, ms, styleFor, table, type Style } from './output.ts';

const options = { ...commonOptions, interval: { type: 'string' }, once: { type: 'boolean' } } as const;

/** `hookwire top PID`: a live table of hit rates and latencies per hook and probe. */
export const top: Command = {
  name: 'top',
  summary: 'live table of hit rates and latencies of a running program',
  help: `Usage: hookwire top PID [--interval MS] [--once] [--json]

Shows every hook and probe of process PID with hits, hits per second, latency percentiles
(from latency exits), faults and missed calls, redrawn every second. q or Ctrl-C quits.

  --interval MS  redraw period (default 1000, at least 100)
  --once         take two samples one interval apart, print one frame and exit
  --json         with --once: print the frame's rows as JSON
  -h, --help     show this help`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, options);
    if (values.help) {
      io.stdout.write(`${this.help}\n`);
      return 0;
    }
    const pid = pidArg(positionals[0], 'top');
    if (positionals.length > 1) throw new UsageError(`top takes one process id, got ${positionals.length} arguments`);
    const interval = values.interval === undefined ? 1000 : Number(values.interval);
    if (!Number.isInteger(interval) || interval < 100 || interval > 60_000) {
      throw new UsageError(`--interval must be a whole number of milliseconds from 100 to 60000, got "${values.interval}"`);
    }
    if (values.json && !values.once) throw new UsageError('--json needs --once');
    const client = await agentClient(pid, io);
    const info = await client.info();
    // Uptime as of each frame: what the agent said, plus the time since it said it.
    const asked = Date.now();
    const uptime = info.uptimeMs;
    Object.defineProperty(info, 'uptimeMs', { enumerable: true, get: () => uptime + (Date.now() - asked) });
    const sampler = new Sampler(client);
    await sampler.sample();
    if (values.once) {
      await sleep(interval);
      const rows = await sampler.sample();
      if (values.json) io.stdout.write(`${JSON.stringify({ pid, rows })}\n`);
      else io.stdout.write(`${frame(info, rows, styleFor(io.stdout, io.env), Infinity)}\n`);
      return 0;
    }
    return live(io, sampler, info, interval);
  },
};

/** One row of the top table. */
export interface TopRow {
  site: string;
  kind: 'hook' | 'probe' | 'pending';
  armed: boolean;
  hits: number;
  /** Hits per second since the previous sample; null on the first. */
  rate: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  faults: number;
  missed: number;
  /** Why a budget ended this site's attachment (expired or disarmed), if one did. */
  budget?: string;
}

/** What a frame's header shows of the agent. */
export type TopHeader = Pick<AgentInfo, 'pid'> & Partial<Pick<AgentInfo, 'argv' | 'uptimeMs'>>;

/** Samples an agent and turns two consecutive samples into rows with rates. */
class Sampler {
  readonly #client: ControlClient;
  #previous = new Map<string, number>();
  #previousTime = 0;

  constructor(client: ControlClient) {
    this.#client = client;
  }

  async sample(): Promise<TopRow[]> {
    const listing = await this.#client.list();
    const rows = new Map<string, TopRow>();
    for (const h of listing.registry.hooks) {
      rows.set(h.name, {
        site: h.name,
        kind: h.name.startsWith('probe:') ? 'probe' : 'hook',
        armed: h.enabled,
        hits: Math.max(0, ...h.exits.map((e) => e.hits)),
        rate: null,
        p50Ms: null,
        p99Ms: null,
        maxMs: null,
        faults: h.exits.reduce((n, e) => n + e.faults, 0),
        missed: 0,
      });
    }
    for (const a of listing.attachments) {
      const site = a.kind === 'probe' ? `probe:${a.target.replace(/^probe:/u, '')}` : a.target;
      let row = rows.get(site);
      if (row === undefined) {
        row = {
          site,
          kind: a.status === 'pending' ? 'pending' : a.kind,
          armed: a.armed,
          hits: 0,
          rate: null,
          p50Ms: null,
          p99Ms: null,
          maxMs: null,
          faults: 0,
          missed: 0,
        };
        rows.set(site, row);
      }
      row.missed = Math.max(row.missed, a.stats.missed);
      const budget = budgetOf(a.report);
      if (budget?.reason != null) row.budget = `${a.name} ${budget.state}: ${budget.reason}`;
      row.faults += a.report?.faults ?? 0;
      for (const s of a.report === null ? [] : reportSites(a.report)) {
        row.hits = Math.max(row.hits, s.hits);
        if (!isLatencySite(s)) continue;
        if (s.p50Ms !== null) row.p50Ms = s.p50Ms;
        if (s.p99Ms !== null) row.p99Ms = s.p99Ms;
        if (s.maxMs !== null) row.maxMs = s.maxMs;
      }
    }
    const dt = (listing.time - this.#previousTime) / 1000;
    for (const row of rows.values()) {
      const before = this.#previous.get(row.site);
      row.rate = before === undefined || dt <= 0 ? null : Math.max(0, row.hits - before) / dt;
    }
    this.#previous = new Map([...rows.values()].map((r) => [r.site, r.hits]));
    this.#previousTime = listing.time;
    return [...rows.values()].sort((a, b) => (b.rate ?? -1) - (a.rate ?? -1) || b.hits - a.hits || a.site.localeCompare(b.site));
  }
}

/** Renders one screen: a header line and the table, cut to `height` lines. */
export function frame(info: TopHeader, rows: TopRow[], style: Style, height: number): string {
  const argv = info.argv?.slice(1).join(' ') ?? '';
  const head =
    `${style.bold('hookwire top')}  pid ${info.pid}  ${argv.length > 60 ? `${argv.slice(0, 57)}...` : argv}` +
    `  up ${duration(info.uptimeMs ?? 0)}  ${new Date().toISOString().slice(11, 19)}Z`;
  const body = table(
    ['SITE', 'KIND', 'STATE', 'HITS', 'RATE/s', 'P50', 'P99', 'MAX', 'FAULTS', 'MISSED'],
    rows.map((r) => [
      r.site.length > 72 ? `…${r.site.slice(-71)}` : r.site,
      r.kind,
      r.kind === 'pending' ? style.yellow('pending') : r.armed ? style.green('armed') : style.dim('idle'),
      String(r.hits),
      r.rate === null ? '-' : r.rate.toFixed(1),
      ms(r.p50Ms),
      ms(r.p99Ms),
      ms(r.maxMs),
      r.faults > 0 ? style.red(String(r.faults)) : '0',
      String(r.missed),
    ]),
    ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    style,
  );
  const lines = [head, '', ...body.split('\n')];
  if (rows.length === 0) lines.push('(no hooks or probes yet)');
  for (const r of rows) if (r.budget !== undefined) lines.push(style.yellow(`budget: ${r.budget}`));
  return lines.slice(0, Math.max(3, height)).join('\n');
}

async function live(io: Io, sampler: Sampler, info: TopHeader, interval: number): Promise<number> {
  const style = styleFor(io.stdout, io.env);
  const tty = io.stdout.isTTY === true;
  let stop: (code: number) => void = () => {};
  const stopped = new Promise<number>((resolve) => (stop = resolve));
  const onKey = (chunk: Buffer | string): void => {
    const key = chunk.toString();
    if (key === 'q' || key === 'Q' || key === '\x03') stop(0);
  };
  const onSignal = (): void => stop(0);
  whenClosed(io.stdout, onSignal); // `hookwire top PID | head`: the reader went away
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  if (io.stdin.isTTY === true && typeof io.stdin.setRawMode === 'function') io.stdin.setRawMode(true);
  io.stdin.on('data', onKey);
  io.stdin.resume();
  if (tty) io.stdout.write('\x1b[?25l');
  let timer: NodeJS.Timeout | undefined;
  const draw = async (): Promise<void> => {
    try {
      const rows = await sampler.sample();
      const height = (process.stdout.rows || 40) - 1;
      io.stdout.write(`${tty ? '\x1b[H\x1b[2J' : ''}${frame(info, rows, style, tty ? height : Infinity)}\n`);
      timer = setTimeout(() => void draw(), interval);
    } catch (error) {
      if (error instanceof HookError && error.code === 'ERR_AGENT_UNREACHABLE') {
        io.stdout.write(`process ${info.pid} has exited\n`);
        stop(0);
      } else {
        io.stderr.write(`hookwire top: ${(error as Error).message}\n`);
        stop(2);
      }
    }
  };
  await draw();
  const code = await stopped;
  clearTimeout(timer);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  io.stdin.off('data', onKey);
  if (io.stdin.isTTY === true && typeof io.stdin.setRawMode === 'function') io.stdin.setRawMode(false);
  io.stdin.pause();
  if (tty) io.stdout.write('\x1b[?25h');
  return code;
}

function sleep(msValue: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, msValue));
}
