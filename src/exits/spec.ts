/**
 * Observers from JSON specs, the form the agent, the control socket and the CLI use: a spec is
 * data only (never code), validated whole, and every problem is an ERR_INVALID_ARG that says what
 * is wrong and what is allowed.
 */
import { HookError, type Registry } from '../core/index.ts';
import { describe } from '../core/internal.ts';
import { assert } from './assert.ts';
import { count } from './count.ts';
import { latency } from './latency.ts';
import type { Observer, ObserverType } from './observer.ts';
import type { TraceSink } from './sinks.ts';
import { resolveLimits, type SummaryLimits } from './summarize.ts';
import { trace } from './trace.ts';

/**
 * What a spec leaves out, filled in by the caller (the agent passes its trace sink, for example).
 * A spec's own fields win over these.
 */
export interface SpecDefaults {
  /** Trace sink when the spec names none (may be a callback: defaults come from code, not JSON). */
  sink?: TraceSink;
  /** Trace line format on stderr when the spec names none. */
  format?: 'text' | 'json';
  /** Summary limits under the spec's own `limits`. */
  limits?: SummaryLimits;
  /** Assert capture directory when the spec names none. */
  captureDir?: string;
  /** Registry whose snapshot assert captures of probes hold. */
  registry?: Registry;
  /** false: refuse specs that name file paths (`sink: {file}`, `captureDir`). Default true. */
  allowFiles?: boolean;
}

/** The fields each observer type accepts in a spec. */
export const SPEC_FIELDS: Readonly<Record<ObserverType, readonly string[]>> = Object.freeze({
  trace: ['type', 'every', 'rate', 'sink', 'format', 'limits'],
  count: ['type'],
  latency: ['type'],
  assert: ['type', 'predicate', 'captureDir', 'capture', 'limits'],
});

const MAX_SPEC_TEXT = 64 * 1024;

/**
 * Makes an observer from a spec: an object such as `{"type":"trace","every":10}` or
 * `{"type":"assert","predicate":{"arg":0,"op":"typeof","value":"string"}}`, a JSON text of one,
 * or a bare type name (`"trace"`, `"count"`, `"latency"`). Throws ERR_INVALID_ARG for anything
 * else: malformed JSON, an unknown type or field, a bad value, a file path where `allowFiles` is
 * false.
 */
export function observerFromSpec(spec: unknown, defaults?: SpecDefaults): Observer {
  const d = checkDefaults(defaults);
  const s = parseSpec(spec);
  const type = s['type'];
  if (typeof type !== 'string' || !Object.hasOwn(SPEC_FIELDS, type)) {
    throw new HookError(
      'ERR_INVALID_ARG',
      `exit spec "type" must be one of ${Object.keys(SPEC_FIELDS).join(', ')}, got ${describe(type)}`,
    );
  }
  const allowed = SPEC_FIELDS[type as ObserverType];
  for (const key of Object.keys(s)) {
    if (!allowed.includes(key)) {
      throw new HookError('ERR_INVALID_ARG', `unknown field "${key}" in a ${type} spec (allowed: ${allowed.join(', ')})`);
    }
  }
  const baseLimits = resolveLimits(d.limits, 'default limits');
  const limits = 'limits' in s ? resolveLimits(s['limits'], `${type} spec "limits"`, baseLimits) : baseLimits;
  switch (type as ObserverType) {
    case 'count':
      return count();
    case 'latency':
      return latency();
    case 'trace': {
      let sink: TraceSink | undefined = d.sink;
      if ('sink' in s) {
        const given = s['sink'];
        if (given === 'stderr') sink = 'stderr';
        else if (isRecord(given) && Object.keys(given).length === 1 && typeof given['file'] === 'string') {
          if (d.allowFiles === false) throw new HookError('ERR_INVALID_ARG', 'trace spec "sink": file paths are not allowed here');
          sink = { file: given['file'] };
        } else {
          throw new HookError('ERR_INVALID_ARG', `trace spec "sink" must be "stderr" or {"file": path}, got ${describe(given)}`);
        }
      }
      return trace({
        ...(sink !== undefined && { sink }),
        ...((s['format'] ?? d.format) !== undefined && { format: (s['format'] ?? d.format) as 'text' | 'json' }),
        ...('every' in s && { every: s['every'] as number }),
        ...('rate' in s && { rate: s['rate'] as number }),
        limits,
      });
    }
    case 'assert': {
      if ('captureDir' in s && d.allowFiles === false) {
        throw new HookError('ERR_INVALID_ARG', 'assert spec "captureDir": file paths are not allowed here');
      }
      if (!('predicate' in s)) {
        throw new HookError('ERR_INVALID_ARG', 'an assert spec needs a "predicate", e.g. {"type":"assert","predicate":{"arg":0,"op":"typeof","value":"string"}}');
      }
      const captureDir = 'captureDir' in s ? s['captureDir'] : d.captureDir;
      return assert({
        predicate: s['predicate'] as never,
        ...(captureDir !== undefined && { captureDir: captureDir as string }),
        ...('capture' in s && { capture: s['capture'] as boolean }),
        ...(d.registry !== undefined && { registry: d.registry }),
        limits,
      });
    }
  }
}

function parseSpec(spec: unknown): Record<string, unknown> {
  if (typeof spec === 'string') {
    const text = spec.trim();
    if (text.length > MAX_SPEC_TEXT) throw new HookError('ERR_INVALID_ARG', `an exit spec is limited to ${MAX_SPEC_TEXT} characters`);
    if (!text.startsWith('{')) {
      if (text === 'assert') {
        throw new HookError('ERR_INVALID_ARG', 'an assert spec needs a predicate: give it as JSON, {"type":"assert","predicate":{...}}');
      }
      return { type: text };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new HookError('ERR_INVALID_ARG', `exit spec is not valid JSON: ${(error as Error).message}`);
    }
    spec = parsed;
  }
  if (!isRecord(spec)) {
    throw new HookError('ERR_INVALID_ARG', `an exit spec must be an object like {"type":"trace"} or a type name, got ${describe(spec)}`);
  }
  return spec;
}

function checkDefaults(defaults: unknown): SpecDefaults {
  if (defaults === undefined) return {};
  if (!isRecord(defaults)) throw new HookError('ERR_INVALID_ARG', `spec defaults must be an object, got ${describe(defaults)}`);
  const known = ['sink', 'format', 'limits', 'captureDir', 'registry', 'allowFiles'];
  for (const key of Object.keys(defaults)) {
    if (!known.includes(key)) throw new HookError('ERR_INVALID_ARG', `unknown spec default "${key}" (known: ${known.join(', ')})`);
  }
  return defaults as SpecDefaults;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
