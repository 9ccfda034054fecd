import { latencyHistograms } from '../../exits/latency-histograms.ts';
import type { Observer } from '../../exits/index.ts';
import type { AttachmentInfo, AttachmentThreadPart } from '../protocol.ts';
import { cumulativeOf, foldCumulative, mergedPercentiles, type Cumulative } from './distribution.ts';
import type { ThreadReport } from './messages.ts';

/** One attachment of one thread, as listed with `--json` (`AttachmentInfo.threads`). */
export type ThreadPart = AttachmentThreadPart;

/** What a thread sends of one attachment: its listing and its latency distributions. */
export function threadReport(uid: string, info: AttachmentInfo, observer: Observer | undefined): ThreadReport {
  const out: ThreadReport = { uid, status: info.status, armed: info.armed, stats: info.stats, report: info.report };
  const histograms = observer === undefined ? undefined : latencyHistograms(observer);
  if (histograms !== undefined) {
    const cumulative: Record<string, Cumulative> = {};
    for (const [site, { histogram }] of histograms) {
      const c = cumulativeOf(histogram);
      if (c !== null) cumulative[site] = c;
    }
    out.cumulative = cumulative;
  }
  return out;
}

/** Fields of a site report that are percentiles or extremes: merged from distributions, never added. */
const NOT_ADDED = new Set(['p50Ms', 'p90Ms', 'p99Ms', 'maxMs', 'minMs', 'meanMs', 'captured', 'captureError']);

/** One thread's report of one attachment, as the fleet keeps it; `folded`: the threads ended before those listed apart, added up. */
export interface Part {
  thread: number;
  report: ThreadReport;
  ended: boolean;
  folded?: true;
}

/**
 * One attachment over every thread: hits, faults and every counter added; latency percentiles
 * read from the summed distributions, min/max the extremes, mean weighted by count. `main` is the
 * main thread's own report; `threads` each worker's (ended ones included). The parts are kept in
 * `threads` for `--json`, but for the folded one (threads no longer listed apart): it is counted,
 * not listed.
 */
export function mergeParts(main: ThreadReport, parts: Part[]): Pick<AttachmentInfo, 'stats' | 'report'> & { threads: ThreadPart[] } {
  const all: Part[] = [{ thread: 0, report: main, ended: false }, ...parts];
  const stats = { hits: 0, faults: 0, missed: 0 };
  for (const p of all) {
    stats.hits += p.report.stats.hits;
    stats.faults += p.report.stats.faults;
    stats.missed += p.report.stats.missed;
  }
  const report = main.report === null ? null : (structuredClone(main.report) as NonNullable<AttachmentInfo['report']>);
  if (report !== null) {
    report.faults = all.reduce((n, p) => n + (p.report.report?.faults ?? 0), 0);
    const sites = report.sites as unknown as Record<string, Record<string, unknown>>;
    for (const p of parts) {
      for (const [site, theirs] of Object.entries((p.report.report?.sites ?? {}) as unknown as Record<string, Record<string, unknown>>)) {
        const mine = sites[site];
        if (mine === undefined) {
          sites[site] = { ...theirs };
          continue;
        }
        for (const [key, value] of Object.entries(theirs)) {
          if (NOT_ADDED.has(key) || typeof value !== 'number') continue;
          mine[key] = (typeof mine[key] === 'number' ? mine[key] : 0) + value;
        }
        if (typeof theirs['captured'] === 'string' && mine['captured'] === null) mine['captured'] = theirs['captured'];
      }
    }
    if (report.type === 'latency')
      mergeLatency(
        sites,
        all.map((p) => p.report),
      );
  }
  const threads: ThreadPart[] = all
    .filter((p) => p.folded !== true)
    .map((p) => ({
      thread: p.thread,
      status: p.report.status,
      armed: p.report.armed,
      stats: p.report.stats,
      report: p.report.report,
      ...(p.ended && { ended: true }),
    }));
  return { stats, report, threads };
}

/**
 * `part` added into `into` (undefined: nothing yet): what an ended thread measured, folded into
 * the sum of those ended before it, its latency distributions too, so that the fleet can forget
 * the thread and the totals stay exact.
 */
export function foldReport(into: ThreadReport | undefined, part: ThreadReport): ThreadReport {
  if (into === undefined) return structuredClone(part);
  // mergeParts adds the parts' sites into the first one's report: start from one that has a report.
  const [first, second] = into.report === null ? [part, into] : [into, part];
  const merged = mergeParts(first, [{ thread: 1, report: second, ended: true }]);
  const cumulative: Record<string, Cumulative> = { ...into.cumulative };
  for (const [site, c] of Object.entries(part.cumulative ?? {})) {
    const mine = cumulative[site];
    cumulative[site] = mine === undefined ? c : foldCumulative(mine, c);
  }
  return {
    uid: into.uid,
    status: into.status === 'attached' || part.status === 'attached' ? 'attached' : into.status,
    armed: into.armed,
    stats: merged.stats,
    report: merged.report,
    ...((into.cumulative !== undefined || part.cumulative !== undefined) && { cumulative }),
  };
}

function mergeLatency(sites: Record<string, Record<string, unknown>>, reports: ThreadReport[]): void {
  for (const [site, merged] of Object.entries(sites)) {
    const parts: Cumulative[] = [];
    let min: number | null = null;
    let max: number | null = null;
    let weighted = 0;
    let count = 0;
    for (const r of reports) {
      const c = r.cumulative?.[site];
      if (c !== undefined) parts.push(c);
      const s = (r.report?.sites as unknown as Record<string, Record<string, unknown>> | undefined)?.[site];
      if (s === undefined || typeof s['count'] !== 'number' || s['count'] === 0) continue;
      const n = s['count'];
      count += n;
      if (typeof s['meanMs'] === 'number') weighted += s['meanMs'] * n;
      if (typeof s['minMs'] === 'number') min = min === null ? s['minMs'] : Math.min(min, s['minMs']);
      if (typeof s['maxMs'] === 'number') max = max === null ? s['maxMs'] : Math.max(max, s['maxMs']);
    }
    if (parts.length < 2) continue; // one thread's own percentiles are already exact
    const [p50, p90, p99] = mergedPercentiles(parts, [50, 90, 99]).map(round);
    Object.assign(merged, { p50Ms: p50, p90Ms: p90, p99Ms: p99, minMs: min, maxMs: max, meanMs: count === 0 ? null : round(weighted / count) });
  }
}

function round(value: number | null | undefined): number | null {
  return value === null || value === undefined ? null : Math.round(value * 1000) / 1000;
}
