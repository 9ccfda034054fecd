import type { RegistrySnapshot } from '../core/index.ts';
import { isLatencySite, reportSites, type AttachmentInfo } from './protocol.ts';

/** What an agent writes at exit (`HOOKWIRE_SUMMARY_DIR/<pid>.json`) for `hookwire run`. */
export interface AgentSummary {
  pid: number;
  argv: string[];
  startedAt: number;
  endedAt: number;
  /** `process.exitCode` when the summary was written (the code passed to exit, if any). */
  exitCode: number | undefined;
  /** The signal that ended the program, when it had no handler of its own for it (SIGINT, SIGTERM, SIGHUP). */
  signal?: string;
  attachments: AttachmentInfo[];
  registry: RegistrySnapshot;
  /** Configuration and attachment problems the agent met. */
  problems: string[];
}

/** One row of the summary table: a site (hook or probe) and what its observers measured. */
export interface SiteRow {
  site: string;
  /** `hook`, `probe`, or `pending` (never attached: the hook was not declared, the module not loaded). */
  kind: string;
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
  /**
   * Other rows that probe the same function through another name (`Server.prototype.emit` and
   * `EventEmitter.prototype.emit`): one probe site counts every call of it under each name.
   */
  sameFunction?: string[];
  pid?: number;
}

/**
 * Folds agent summaries into one row per site. Hits are the most any observer of the site saw
 * (two observers on one probe see the same calls); percentiles come from latency observers;
 * faults and missed calls add up. When several processes saw the same site, each gets its own
 * row, marked with its pid.
 */
export function siteRows(summaries: AgentSummary[]): SiteRow[] {
  const perPid = new Map<string, SiteRow & { pids: Set<number> }>();
  const rows: (SiteRow & { pids?: Set<number> })[] = [];
  for (const summary of summaries) {
    const local = new Map<string, SiteRow>();
    // Probe hook → the rows whose probes landed on it: one function reached through several names.
    const byHook = new Map<string, Set<string>>();
    for (const a of summary.attachments) {
      const site = a.kind === 'probe' ? `probe:${a.target.replace(/^probe:/u, '')}` : a.target;
      let row = local.get(site);
      if (row === undefined) {
        row = { site, kind: a.status === 'pending' ? 'pending' : a.kind, hits: 0, p50Ms: null, p99Ms: null, timing: null, faults: 0, missed: 0 };
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
        }
      }
    }
    for (const names of byHook.values()) {
      if (names.size < 2) continue;
      for (const name of names) local.get(name)!.sameFunction = [...names].filter((n) => n !== name);
    }
    for (const row of local.values()) {
      const seen = perPid.get(row.site);
      if (seen === undefined || row.hits === 0) {
        if (seen === undefined) {
          const entry = { ...row, pid: summary.pid, pids: new Set([summary.pid]) };
          perPid.set(row.site, entry);
          rows.push(entry);
        } else if (seen.kind === 'pending' && row.kind !== 'pending') seen.kind = row.kind;
        continue;
      }
      if (seen.hits === 0) {
        Object.assign(seen, row, { pid: summary.pid });
        continue;
      }
      rows.push({ ...row, pid: summary.pid, pids: seen.pids });
      seen.pids.add(summary.pid);
    }
  }
  return rows.map(({ pids, ...row }) => {
    if (pids === undefined || pids.size < 2) delete row.pid;
    return row;
  });
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
