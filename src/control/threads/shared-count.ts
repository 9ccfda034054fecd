import type { AnyHook } from '../../core/index.ts';
import type { CountReport, CountSiteReport, Observer, ProbeHandlers } from '../../exits/index.ts';
import type { SharedTallies, Tally } from './tallies.ts';

/**
 * The `count` exit of a worker thread: the catalogue's count, but its counters are in shared
 * memory ({@link SharedTallies}), and each site's counter is announced (`onSite`) as it is made,
 * which is when a hook exit or probe wrapper is built, never on a call.
 */
export function sharedCount(tallies: SharedTallies, onSite: (site: string, slot: number) => void): Observer<CountReport> {
  const sites = new Map<string, Tally & { faults: number }>();
  let orphanFaults = 0;
  const site = (name: string): Tally & { faults: number } => {
    let s = sites.get(name);
    if (s === undefined) {
      const slot = tallies.take();
      const tally: Tally = slot === undefined ? { hits: 0, errors: 0 } : tallies.tally(slot);
      s = Object.defineProperties({ faults: 0 }, Object.getOwnPropertyDescriptors(tally)) as Tally & { faults: number };
      sites.set(name, s);
      if (slot !== undefined) onSite(name, slot);
    }
    return s;
  };
  return {
    type: 'count',
    forHook(hook: AnyHook) {
      const s = site(hook.name);
      const count = (..._args: unknown[]): void => {
        s.hits++;
      };
      Object.defineProperty(count, 'name', { value: 'count' });
      return count;
    },
    forProbe(): ProbeHandlers {
      const handlers: ProbeHandlers = {
        onEnter(ctx) {
          if (typeof ctx?.hook === 'string') site(ctx.hook).hits++;
          else orphanFaults++;
        },
        onLeave() {
          return undefined;
        },
        onError(ctx) {
          if (typeof ctx?.hook === 'string') site(ctx.hook).errors++;
          else orphanFaults++;
          return undefined;
        },
      };
      return handlers;
    },
    report(): CountReport {
      const out: Record<string, CountSiteReport> = {};
      let faults = orphanFaults;
      for (const [name, s] of sites) {
        out[name] = { hits: s.hits, errors: s.errors, faults: s.faults };
        faults += s.faults;
      }
      return { type: 'count', faults, sites: out };
    },
    close() {},
  };
}
