/**
 * What the page knows of the programs, built from the UI server's events: the latest state of
 * each program's hooks and attachments, a short history of every site for the charts, the recent
 * trace records, and the durations of each site's traced calls for its histogram.
 */
import type { AgentView } from '../../src/cli/ui-stream.ts';
import type { AttachmentInfo, Listing, ObserverSiteReport, StatsFailure, StatsTick } from '../../src/control/protocol.ts';
import type { TraceRecord } from '../../src/exits/index.ts';

/** Points kept per site: five minutes at one stats tick a second. */
const HISTORY = 300;
/** Trace records kept for the stream view. */
const TRACES = 1000;
/** Durations kept per site for its histogram. */
const DURATIONS = 2000;

/** An exit of a hook, as the stats tick and the listing give it. */
export interface ExitView {
  name: string;
  order: number | 'first' | 'last' | 'only';
  armed: boolean;
  hits: number;
  faults: number;
}

/** A hook of a program (a probe shows as the hook `probe:<spec>`). */
export interface HookView {
  name: string;
  enabled: boolean;
  exits: ExitView[];
  kind?: string;
  sealed?: boolean;
  description?: string;
  /** For a probe on the breakpoint path (no wrapper): where, and its cost per hit. */
  breakpoint?: { where: string; cost: string };
}

/** One row of the sites table: a hook or probe with what its exits and attachments say. */
export interface SiteRow {
  site: string;
  kind: 'hook' | 'probe' | 'pending';
  /** Whether it has exits and any of them is armed. */
  armed: boolean;
  /** Whether a switch can change it (declared, with exits, not sealed). */
  switchable: boolean;
  hits: number;
  rate: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  faults: number;
  missed: number;
  exits: ExitView[];
  sealed: boolean;
  /** For a probe on the breakpoint path (no wrapper): where, and its cost per hit. */
  breakpoint?: { where: string; cost: string };
}

/** One point of a site's history. */
export interface Point {
  t: number;
  rate: number | null;
  p50: number | null;
  p99: number | null;
}

/** A trace record with the program it came from. */
export type PageTrace = TraceRecord & { pid: number; seq?: number };

export interface Program {
  agent: AgentView;
  hooks: HookView[];
  attachments: AttachmentInfo[];
  /** Epoch ms of the state above. */
  time: number;
  /** Last stats failure, if the program could not take its stats. */
  statsError?: string;
  /** Events the program dropped for this server. */
  dropped: number;
  rows: SiteRow[];
  history: Map<string, Point[]>;
  durations: Map<string, number[]>;
  /** Why its event stream ended, if it did. */
  ended?: string;
  /**
   * true from the moment the page changes something until the listing asked after it is applied:
   * a stats tick taken before the change can still arrive in between, and would flip a switch back.
   */
  held?: boolean;
}

/** Everything the page shows. Mutated in place by the event handlers; the view re-renders on a counter. */
export interface Model {
  programs: Map<number, Program>;
  traces: PageTrace[];
  /** Trace records the server dropped (batches full) and events this page lost (slow). */
  traceDropped: number;
  pageDropped: number;
  connected: boolean;
  /** Numbers the trace records as they arrive: a stable key for each line. */
  seq: number;
}

export function emptyModel(): Model {
  return { programs: new Map(), traces: [], traceDropped: 0, pageDropped: 0, connected: false, seq: 0 };
}

/** The set of programs changed: keep those still there, add the new ones. */
export function setAgents(model: Model, agents: AgentView[]): void {
  const next = new Map<number, Program>();
  for (const agent of agents) {
    next.set(
      agent.pid,
      model.programs.get(agent.pid) ?? { agent, hooks: [], attachments: [], time: 0, dropped: 0, rows: [], history: new Map(), durations: new Map() },
    );
  }
  model.programs = next;
}

/** Stops stats ticks of `pid` from changing what is shown, until the next listing (or `release`). */
export function holdTicks(model: Model, pid: number, release = false): void {
  const program = model.programs.get(pid);
  if (program !== undefined) program.held = !release;
}

/** A stats tick of one program. */
export function applyStats(model: Model, pid: number, tick: StatsTick | StatsFailure): void {
  const program = model.programs.get(pid);
  if (program === undefined) return;
  program.dropped = tick.dropped;
  if ('error' in tick) {
    program.statsError = tick.error;
    return;
  }
  // A tick taken before the listing asked after a change is older news: it would flip a switch back.
  if (program.held === true || tick.time < program.time) return;
  program.statsError = undefined;
  program.ended = undefined;
  const kinds = new Map(program.hooks.map((h) => [h.name, h]));
  program.hooks = tick.hooks.map((h) => ({ ...kinds.get(h.name), ...h }));
  program.attachments = tick.attachments;
  update(program, tick.time, true);
}

/** A full listing (asked after a change, and now and then): adds what ticks leave out (kind, sealed). */
export function applyListing(model: Model, pid: number, listing: Listing, afterChange = false): void {
  const program = model.programs.get(pid);
  if (program === undefined) return;
  // While held, only the listing asked after the change counts (and ends the hold): a periodic
  // one may have been taken before the change.
  if (afterChange) program.held = false;
  else if (program.held === true) return;
  if (listing.time < program.time) return;
  program.hooks = listing.registry.hooks.map((h) => ({
    name: h.name,
    enabled: h.enabled,
    exits: h.exits,
    kind: h.kind,
    sealed: h.sealed,
    ...(h.description === undefined ? {} : { description: h.description }),
    ...(h.meta?.['wrapper'] === 'breakpoint' ? { breakpoint: { where: String(h.meta['breakpoint']), cost: String(h.meta['cost']) } } : {}),
  }));
  program.attachments = listing.attachments;
  update(program, listing.time, false);
}

/** A batch of trace records. */
export function applyTraces(model: Model, records: PageTrace[], dropped: number): void {
  model.traceDropped += dropped;
  for (const r of records) {
    r.seq = model.seq++;
    model.traces.push(r);
    if (typeof r.durationMs === 'number') {
      const program = model.programs.get(r.pid);
      if (program === undefined) continue;
      let list = program.durations.get(r.site);
      if (list === undefined) program.durations.set(r.site, (list = []));
      list.push(r.durationMs);
      if (list.length > DURATIONS) list.splice(0, list.length - DURATIONS);
    }
  }
  if (model.traces.length > TRACES) model.traces.splice(0, model.traces.length - TRACES);
}

/** Rebuilds the rows from the hooks and attachments; a tick also adds a point to each site's history. */
function update(program: Program, time: number, tick: boolean): void {
  const previous = new Map(program.rows.map((r) => [r.site, r.hits]));
  const dt = (time - program.time) / 1000;
  const rows = new Map<string, SiteRow>();
  for (const h of program.hooks) {
    rows.set(h.name, {
      site: h.name,
      kind: h.name.startsWith('probe:') ? 'probe' : 'hook',
      armed: h.enabled,
      switchable: h.exits.length > 0 && h.sealed !== true,
      hits: Math.max(0, ...h.exits.map((e) => e.hits)),
      rate: null,
      p50Ms: null,
      p99Ms: null,
      maxMs: null,
      faults: h.exits.reduce((n, e) => n + e.faults, 0),
      missed: 0,
      exits: h.exits,
      sealed: h.sealed === true,
      ...(h.breakpoint === undefined ? {} : { breakpoint: h.breakpoint }),
    });
  }
  for (const a of program.attachments) {
    const site = siteOf(a);
    let row = rows.get(site);
    if (row === undefined) {
      row = {
        site,
        kind: a.status === 'pending' ? 'pending' : a.kind,
        armed: a.armed,
        switchable: false,
        hits: 0,
        rate: null,
        p50Ms: null,
        p99Ms: null,
        maxMs: null,
        faults: 0,
        missed: 0,
        exits: [],
        sealed: false,
      };
      rows.set(site, row);
    }
    row.missed = Math.max(row.missed, a.stats.missed);
    row.faults += a.report?.faults ?? 0;
    for (const s of a.report === null ? [] : Object.values<ObserverSiteReport>(a.report.sites)) {
      row.hits = Math.max(row.hits, s.hits);
      if ('p50Ms' in s) {
        if (s.p50Ms !== null) row.p50Ms = s.p50Ms;
        if (s.p99Ms !== null) row.p99Ms = s.p99Ms;
        if (s.maxMs !== null) row.maxMs = s.maxMs;
      }
    }
  }
  for (const row of rows.values()) {
    const before = previous.get(row.site);
    row.rate = before === undefined || dt <= 0 || program.time === 0 ? null : Math.max(0, row.hits - before) / dt;
    if (tick) {
      let points = program.history.get(row.site);
      if (points === undefined) program.history.set(row.site, (points = []));
      points.push({ t: time, rate: row.rate, p50: row.p50Ms, p99: row.p99Ms });
      if (points.length > HISTORY) points.splice(0, points.length - HISTORY);
    }
  }
  program.rows = [...rows.values()].sort((a, b) => a.site.localeCompare(b.site));
  program.time = time;
}

/** The site an attachment watches: its hook, or `probe:<spec>`. */
export function siteOf(a: AttachmentInfo): string {
  return a.kind === 'probe' ? `probe:${a.target.replace(/^probe:/u, '')}` : a.target;
}
