/**
 * `probeSpec`: a probe on the function a spec names, attached through loader.ts. In a file of its
 * own so that the agent's catalogue (exits/attach.ts) probes CommonJS functions without loading
 * the line and ES module branches that `hookwire/probe` gives the loader (issue 8).
 */
import { HookError } from '../core/index.ts';
import { describe } from '../core/internal.ts';
import { attachSpec } from './loader.ts';
import { ProbeImpl, checkHandlers, checkOptions } from './probe.ts';
import { parseProbeSpec } from './spec.ts';
import type { Probe, ProbeHandlers, ProbeOptions, ProbeSpecOptions } from './types.ts';

/**
 * Probes the function a spec names: `<module specifier>#<property.path>`, e.g.
 * `node:fs#readFileSync` or `./lib/db.js#Client.prototype.query` (relative specifiers resolve
 * against process.cwd()). Synchronous: builtins and CommonJS modules (loaded now if need be) and
 * ES modules the loader has already seen attach at once (`status: 'attached'`); an ES module not
 * loaded yet leaves the probe `pending` until it loads. ES modules need
 * `node --import hookwire/register`. With `load: false`, a CommonJS module is not loaded either:
 * the probe waits, `pending`, until the program requires it.
 *
 * Throws HookError (nothing changed): ERR_INVALID_ARG (malformed spec), ERR_MODULE_NOT_FOUND,
 * ERR_PROBE_TARGET (the path names nothing or no function), ERR_PROBE_LOADER (ESM without the loader).
 */
export function probeSpec(spec: string, handlers: ProbeHandlers, options?: ProbeSpecOptions): Probe {
  const parsed = parseProbeSpec(spec);
  const checkedHandlers = checkHandlers(handlers);
  const [load, probeOptions] = takeLoad(options);
  const opts = checkOptions(probeOptions);
  const p = new ProbeImpl(checkedHandlers, opts, `probe:${parsed.spec}`, parsed.spec);
  try {
    attachSpec(p, parsed, { load });
  } catch (error) {
    p.remove();
    throw error;
  }
  return p;
}

/** Splits probeSpec's own `load` option from the probe options (which checkOptions validates). */
function takeLoad(options: ProbeSpecOptions | undefined): [boolean, ProbeOptions | undefined] {
  if (typeof options !== 'object' || options === null || !('load' in options)) return [true, options];
  const { load, ...rest } = options;
  if (typeof load !== 'boolean') throw new HookError('ERR_INVALID_ARG', `probeSpec option "load" must be a boolean, got ${describe(load)}`);
  return [load, rest];
}
