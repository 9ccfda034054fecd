/**
 * Each latency observer's histograms by site, for exporters (the control layer's /metrics and the
 * worker threads' reports). In a file of its own so that reading them loads no latency exit when
 * none was made (issue 8: a program that only counts).
 */
import type { Histogram } from './histogram.ts';

/** One site's histogram and hit count, as a latency observer keeps them. */
export type SiteHistograms = ReadonlyMap<string, { readonly histogram: Histogram; readonly hits: number }>;

const histogramsOf = new WeakMap<object, SiteHistograms>();

/** The per-site histograms of a latency observer (undefined for any other observer). */
export function latencyHistograms(observer: object): SiteHistograms | undefined {
  return histogramsOf.get(observer);
}

/** Records a latency observer's per-site histograms (latency.ts, when it makes one). */
export function recordHistograms(observer: object, sites: SiteHistograms): void {
  histogramsOf.set(observer, sites);
}
