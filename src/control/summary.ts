import type { RegistrySnapshot } from '../core/index.ts';
import { isLatencySite, reportSites, type AttachmentInfo } from './protocol.ts';
import { mergedPercentiles, type Cumulative } from './threads/distribution.ts';

/** What an agent writes at exit (`HOOKWIRE_SUMMARY_DIR/<pid>.json`) for `hookwire run`. */
export interface AgentSummary {
  pid: number;
  /** The parent process's pid. */
  ppid?: number;
  /** The run's id (`HOOKWIRE_RUN`), when `hookwire run` named one. */
  run?: string;
  /** This is the run's first process (the one `hookwire run` started), not one it forked. */
  first?: boolean;
  argv: string[];
  startedAt: number;
  endedAt: number;
  /** `process.exitCode` when the summary was written (the code passed to exit, if any). */
  exitCode: number | undefined;
  /** The signal that ended the program, when it had no handler of its own for it (SIGINT, SIGTERM, SIGHUP). */
  signal?: string;
  attachments: AttachmentInfo[];
  /**
   * Each latency attachment's distributions by name (one per thread that measured), so that
   * percentiles over several processes are merged from them, never averaged.
   */
  distributions?: Record<string, Cumulative[]>;
  registry: RegistrySnapshot;
  /** Configuration and attachment problems the agent met. */
  problems: string[];
  /** The targets of the attachments asked for at start that the agent refused (each is also in `problems`). */
  refused?: string[];
}

/** What one process measured of a site. */
export interface SiteMeasure {
  hits: number;
  p50Ms: number | null;
  p99Ms: number | null;
  /**
   * What the durations measure: until the call `returned` (or threw), until its promise `settled`
   * (async functions, returned thenables, completed generators), `mixed`; null without durations.
   */
  timing: 'returned' | 'settled' | 'mixed' | null;
  faults: number;
  missed: number;
}

/** One row of the summary table: a site (hook or probe) and what its observers measured, over every process. */
export interface SiteRow extends SiteMeasure {
  site: string;
  /** `hook`, `probe`, or `pending` (never attached: the hook was not declared, the module not loaded). */
  kind: string;
  /**
   * Other rows that probe the same function through another name (`Server.prototype.emit` and
   * `EventEmitter.prototype.emit`): one probe site counts every call of it under each name.
   */
  sameFunction?: string[];
  /**
   * With more than one process in the run: each process that had the site apart, in the order
   * they started. The row's hits, faults and missed calls are their sums; its percentiles come
   * from their merged distributions.
   */
  processes?: ProcessSiteRow[];
}

/** One process's part of a site's row. */
export interface ProcessSiteRow extends SiteMeasure {
  pid: number;
  /** `pending` when the site never attached in this process. */
  kind: string;
  /** The run's first process. */
  first?: boolean;
}

/** A process's row of a site, and the distributions behind its percentiles. */
interface Local extends SiteRow {
  parts: Cumulative[] | undefined;
}

/**
 * Folds agent summaries into one row per site. Within a process, hits are the most any observer
 * of the site saw (two observers on one probe see the same calls), percentiles come from latency
 * observers, faults add up. Over processes, hits, faults and missed calls add up and percentiles
 * are read from the processes' distributions summed; with more than one summary each row also
 * lists every process that had the site (`processes`).
 */
export function siteRows(summaries: AgentSummary[]): SiteRow[] {
  const totals = new Map<string, { locals: { summary: AgentSummary; row: Local }[] }>();
  for (const summary of summaries) {
    for (const row of processRows(summary)) {
      let entry = totals.get(row.site);
      if (entry === undefined) totals.set(row.site, (entry = { locals: [] }));
      entry.locals.push({ summary, row });
    }
  }
  return [...totals.entries()].map(([site, { locals }]) => {
    const total = emptyRow(site, locals.find((l) => l.row.kind !== 'pending')?.row.kind ?? 'pending');
    const names = new Set<string>();
    for (const { row } of locals) {
      total.hits += row.hits;
      total.faults += row.faults;
      total.missed += row.missed;
      if (row.timing !== null) total.timing = total.timing === null || total.timing === row.timing ? row.timing : 'mixed';
      for (const n of row.sameFunction ?? []) names.add(n);
    }
    if (names.size > 0) total.sameFunction = [...names];
    const measured = locals.filter((l) => l.row.p50Ms !== null || l.row.p99Ms !== null);
    if (measured.length === 1) {
      total.p50Ms = measured[0]!.row.p50Ms;
      total.p99Ms = measured[0]!.row.p99Ms;
    } else if (measured.length > 1 && measured.every((l) => l.row.parts !== undefined)) {
      // Percentiles of several processes: from their distributions summed, never averaged. Without
      // every process's distribution they cannot be exact, and are left out.
      [total.p50Ms, total.p99Ms] = mergedPercentiles(
        measured.flatMap((l) => l.row.parts!),
        [50, 99],
      ).map(round) as [number | null, number | null];
    }
    if (summaries.length > 1) {
      total.processes = locals.map(({ summary, row }) => ({
        pid: summary.pid,
        ...(summary.first === true && { first: true }),
        kind: row.kind,
        hits: row.hits,
        p50Ms: row.p50Ms,
        p99Ms: row.p99Ms,
        timing: row.timing,
        faults: row.faults,
        missed: row.missed,
      }));
    }
    return total;
  });
}

/** One process's rows, one per site, with the distributions behind their percentiles. */
function processRows(summary: AgentSummary): Local[] {
  const local = new Map<string, Local>();
  // Probe hook → the rows whose probes landed on it: one function reached through several names.
  const byHook = new Map<string, Set<string>>();
  for (const a of summary.attachments) {
    const site = a.kind === 'probe' ? `probe:${a.target.replace(/^probe:/u, '')}` : a.target;
    let row = local.get(site);
    if (row === undefined) {
      row = { ...emptyRow(site, a.status === 'pending' ? 'pending' : a.kind), parts: undefined };
      local.set(site, row);
    } else if (a.status !== 'pending' && row.kind === 'pending') row.kind = a.kind;
    if (a.kind === 'probe' && a.report !== null) {
      for (const hook of Object.keys(a.report.sites)) byHook.set(hook, (byHook.get(hook) ?? new Set()).add(site));
    }
    const siteReports = a.report === null ? [] : reportSites(a.report);
    const reported = siteReports.reduce((n, s) => Math.max(n, s.hits), 0);
    row.hits = Math.max(row.hits, reported, a.stats.hits);
    row.faults += a.stats.faults + (a.report?.faults ?? 0);
    row.missed = Math.max(row.missed, a.stats.missed);
    for (const s of siteReports) {
      if (!isLatencySite(s)) continue;
      if (s.p50Ms !== null) row.p50Ms = s.p50Ms;
      if (s.p99Ms !== null) row.p99Ms = s.p99Ms;
      if (s.count > 0) {
        const timing = s.settled === 0 ? 'returned' : s.settled === s.count ? 'settled' : 'mixed';
        row.timing = row.timing === null || row.timing === timing ? timing : 'mixed';
        row.parts = summary.distributions?.[a.name];
      }
    }
  }
  for (const names of byHook.values()) {
    if (names.size < 2) continue;
    for (const name of names) local.get(name)!.sameFunction = [...names].filter((n) => n !== name);
  }
  return [...local.values()];
}

/**
 * One line per function probed through several names (the rows' `sameFunction`): their counts
 * are not separate calls, each row counts every call of the one function.
 */
export function sameFunctionNotes(rows: readonly SiteRow[]): string[] {
  const said = new Set<string>();
  const notes: string[] = [];
  for (const row of rows) {
    if (row.sameFunction === undefined || said.has(row.site)) continue;
    const names = [row.site, ...row.sameFunction];
    for (const name of names) said.add(name);
    notes.push(`hookwire: ${names.join(' and ')} are one function: each row counts every call of it, through any of these names`);
  }
  return notes;
}

function round(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms * 1000) / 1000;
}

/** A site's row before any part is added to it. */
function emptyRow(site: string, kind: string): SiteRow {
  return { site, kind, hits: 0, p50Ms: null, p99Ms: null, timing: null, faults: 0, missed: 0 };
}
