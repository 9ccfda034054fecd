/**
 * `assert` (after IBM's First Failure Data Capture): checks a declarative predicate (see
 * `predicate.ts`) at every hit. The first failure at a site writes one capture file — the
 * arguments (and result or error) summarised, the stack, and a registry snapshot — and later
 * failures are only counted. Nothing it does reaches the program: a failing predicate, a capture
 * that cannot be written, a value that cannot be read are all contained and reported.
 */
import { HookError, registry as defaultRegistry, type AnyHook, type Registry } from '../core/index.ts';
import {
  named,
  scratch,
  setScratch,
  SiteTable,
  type AssertSiteReport,
  type Observer,
  type AssertReport,
  type ProbeCallContext,
  type ProbeHandlers,
} from './observer.ts';
import { checkAssertOptions, type AssertOptions } from './assert-options.ts';
import { hostProcess } from './platform.ts';
import type { CompiledPredicate, Predicate, PredicateSubject } from './predicate.ts';
import { writeCaptureFile } from './sinks.ts';
import { errorInfo, errorStack, summarize, summarizeArgs, type SummaryLimits } from './summarize.ts';

export { checkAssertOptions, type AssertOptions, type AssertSettings } from './assert-options.ts';

/** The content of a capture file. */
export interface AssertCapture {
  hookwire: 'assert-capture';
  version: 1;
  /** Epoch milliseconds of the failure. */
  time: number;
  /** The same time, ISO 8601. */
  date: string;
  site: string;
  pid: number | null;
  predicate: Predicate;
  /** The arguments, summarised (a probe's: as they were at entry). */
  args: unknown;
  /** The result, summarised, when the call returned and the predicate reads outcomes. */
  result?: unknown;
  /** The thrown value, when the call threw and the predicate reads outcomes. */
  error?: { name: string; message: string; stack?: string };
  /** Where the failure was detected (for a probe, within the probed call or its settlement). */
  stack: string;
  /** The registry snapshot at the failure. */
  registry: unknown;
}

/** Makes an assert observer. The predicate is validated whole here: problems throw ERR_INVALID_ARG. */
export function assert(options: AssertOptions): Observer<AssertReport> {
  const { predicate, captureDir, capture, registry: registryOption, limits, now } = checkAssertOptions(options);
  const table = new SiteTable<AssertSiteReport>(() => ({ hits: 0, checks: 0, failures: 0, captured: null, faults: 0 }));
  const ARGS = Symbol('hookwire.assert.args');

  const check = (site: AssertSiteReport, name: string, subject: PredicateSubject, reg: Registry): void => {
    site.checks++;
    let holds: boolean;
    try {
      holds = predicate.test(subject);
    } catch {
      table.fault(site);
      return;
    }
    if (holds) return;
    site.failures++;
    if (site.failures !== 1 || !capture) return;
    try {
      if (captureDir === undefined) throw new Error('no capture directory (this runtime has no file system access)');
      const time = now();
      site.captured = writeCaptureFile(captureDir, name, time, captureContent(predicate, name, subject, reg, time, limits));
    } catch (error) {
      site.captureError = String((error as Error)?.message ?? error).slice(0, 500);
      table.fault(site);
    }
  };

  return {
    type: 'assert',
    forHook(hook: AnyHook) {
      if (predicate.readsOutcome) {
        throw new HookError(
          'ERR_INVALID_ARG',
          `the predicate reads "result" or "error", which hook "${hook.name}" does not have (a fire has arguments only); attach it to a probe`,
        );
      }
      const names = hook.args;
      const missing = predicate.argNames.filter((n) => names === null || !names.includes(n));
      if (missing.length > 0) {
        throw new HookError(
          'ERR_INVALID_ARG',
          `the predicate names argument(s) ${missing.join(', ')}, which hook "${hook.name}" does not declare (its args: ${names === null ? 'none' : names.join(', ')})`,
        );
      }
      const site = table.site(hook.name);
      const name = hook.name;
      const reg = hook.registry;
      return named((...args: unknown[]): void => {
        try {
          site.hits++;
          check(site, name, { args, argNames: names }, reg);
        } catch {
          table.fault(site);
        }
      }, 'assert');
    },
    forProbe(): ProbeHandlers {
      const reg = registryOption ?? defaultRegistry;
      const complete = (ctx: ProbeCallContext, outcome: { result: unknown } | { error: unknown }): void => {
        let site: AssertSiteReport | undefined;
        try {
          if (!predicate.readsOutcome) return;
          site = table.siteOf(ctx);
          if (site === undefined) return table.fault(undefined);
          const args = scratch<unknown[]>(ctx, ARGS);
          if (args === undefined) return;
          setScratch(ctx, ARGS, undefined);
          check(site, ctx.hook, { args, ...outcome }, reg);
        } catch {
          table.fault(site);
        }
      };
      return {
        onEnter(ctx) {
          let site: AssertSiteReport | undefined;
          try {
            site = table.siteOf(ctx);
            if (site === undefined) return table.fault(undefined);
            site.hits++;
            // an outcome predicate runs later: keep the arguments as they are now
            if (predicate.readsOutcome) setScratch(ctx, ARGS, [...ctx.args]);
            else check(site, ctx.hook, { args: ctx.args }, reg);
          } catch {
            table.fault(site);
          }
        },
        onLeave(ctx, result) {
          complete(ctx, { result });
          return undefined;
        },
        onError(ctx, error) {
          complete(ctx, { error });
          return undefined;
        },
      };
    },
    report(): AssertReport {
      return { type: 'assert', ...table.report((s) => ({ ...s })) };
    },
    close() {},
  };
}

/** The JSON a capture file holds. */
function captureContent(
  predicate: CompiledPredicate,
  site: string,
  subject: PredicateSubject,
  reg: Registry,
  time: number,
  limits: Readonly<Required<SummaryLimits>>,
): AssertCapture {
  const content: AssertCapture = {
    hookwire: 'assert-capture',
    version: 1,
    time,
    date: new Date(time).toISOString(),
    site,
    pid: hostProcess()?.pid ?? null,
    predicate: predicate.spec,
    args: summarizeArgs(subject.args, limits, subject.argNames),
    stack: currentStack(),
    registry: null,
  };
  if ('result' in subject) content.result = summarize(subject.result, limits);
  if ('error' in subject) {
    const info: { name: string; message: string; stack?: string } = errorInfo(subject.error, limits);
    const stack = errorStack(subject.error);
    if (stack !== undefined) info.stack = stack.slice(0, 8000);
    content.error = info;
  }
  try {
    content.registry = reg.snapshot();
  } catch (error) {
    content.registry = { unavailable: String((error as Error)?.message ?? error).slice(0, 500) };
  }
  return content;
}

/** The stack where the failure was detected, up to 50 frames, without its first "Error" line. */
function currentStack(): string {
  const E = Error as { stackTraceLimit?: number };
  const limit = E.stackTraceLimit;
  try {
    if (typeof limit === 'number') E.stackTraceLimit = 50;
    const stack = new Error('assert failed').stack ?? '';
    return stack.split('\n').slice(1).join('\n');
  } catch {
    return '';
  } finally {
    if (typeof limit === 'number') E.stackTraceLimit = limit;
  }
}
