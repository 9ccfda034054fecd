/**
 * `count`: hits per site. On a declared hook every fire is a hit; on a probe every call entered is
 * a hit, and calls that throw (or whose promise rejects) are also counted as `errors`. On a probe
 * the wrapper does the counting itself (probe/tally.ts: two increments and a catch per call); the
 * handlers below do the same where a wrapper runs handlers instead (a budget wraps them).
 */
import type { AnyHook } from '../core/index.ts';
import { validateOptions } from '../core/internal.ts';
import { TALLY, type TallyProvider } from '../probe/tally.ts';
import { named, SiteTable, type CountSiteReport, type Observer, type CountReport, type ProbeHandlers } from './observer.ts';

/** Makes a counting observer. Takes no options (an options object, if given, must be empty). */
export function count(options?: Record<string, never>): Observer<CountReport> {
  validateOptions(options, [], 'count option');
  const table = new SiteTable<CountSiteReport>(() => ({ hits: 0, errors: 0, faults: 0 }));
  return {
    type: 'count',
    forHook(hook: AnyHook) {
      const site = table.site(hook.name);
      return named((..._args: unknown[]): void => {
        site.hits++;
      }, 'count');
    },
    forProbe(): ProbeHandlers {
      const handlers: ProbeHandlers & TallyProvider = {
        // The site's own counters: the wrapper increments hits and errors in place.
        [TALLY]: (hookName: string) => table.site(hookName),
        onEnter(ctx) {
          try {
            const site = table.siteOf(ctx);
            if (site === undefined) table.fault(undefined);
            else site.hits++;
          } catch {
            table.fault(undefined);
          }
        },
        onLeave() {
          return undefined;
        },
        onError(ctx) {
          try {
            const site = table.siteOf(ctx);
            if (site === undefined) table.fault(undefined);
            else site.errors++;
          } catch {
            table.fault(undefined);
          }
          return undefined;
        },
      };
      return handlers;
    },
    report(): CountReport {
      return { type: 'count', ...table.report((s) => ({ ...s })) };
    },
    close() {},
  };
}
