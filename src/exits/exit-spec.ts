/**
 * What an exit spec is: the one parser for the JSON form of catalogue exits, used by
 * `observerFromSpec`, the control server, the agent's environment and the CLI alike, so all of
 * them accept and refuse the same specs. A spec is data only (never code), checked whole: its
 * form, its type, its fields and their values. Every problem is an ERR_INVALID_ARG that says what
 * is wrong and what is allowed.
 */
import { HookError } from '../core/index.ts';
import { describe } from '../core/internal.ts';
import { checkAssertOptions } from './assert-options.ts';
import { checkBudget } from './budget.ts';
import { EXIT_TYPES, SPEC_FIELDS } from './exit-types.ts';
import type { ObserverType } from './observer.ts';
import { resolveLimits } from './summarize.ts';
import { checkTraceOptions } from './trace-options.ts';

/** A checked exit spec: a catalogue type and that type's fields, as plain JSON. */
export interface ExitSpec {
  readonly type: ObserverType;
  readonly [field: string]: unknown;
}

const MAX_SPEC_TEXT = 64 * 1024;

/**
 * Parses one exit spec: an object such as `{"type":"trace","every":10}`, a JSON text of one, or a
 * bare type name (`"trace"`, `"count"`, `"latency"`; an assert needs its predicate, so JSON).
 * Returns a fresh plain object. Throws ERR_INVALID_ARG for malformed JSON, an unknown type or
 * field, or a bad value. Whether a spec may name files is the caller's policy, not checked here.
 */
export function parseExitSpec(spec: unknown): ExitSpec {
  const s = toRecord(spec);
  const type = s['type'];
  if (typeof type !== 'string' || !Object.hasOwn(SPEC_FIELDS, type)) {
    throw new HookError(
      'ERR_INVALID_ARG',
      `${typeof type === 'string' ? `unknown exit ${describe(type)}: ` : ''}exit spec "type" must be one of ${EXIT_TYPES.join(', ')}, got ${describe(type)}`,
    );
  }
  const allowed = SPEC_FIELDS[type as ObserverType];
  for (const key of Object.keys(s)) {
    if (!allowed.includes(key)) {
      throw new HookError('ERR_INVALID_ARG', `unknown field "${key}" in a ${type} spec (allowed: ${allowed.join(', ')})`);
    }
  }
  // The values go through the exits' own option checks, so a spec and the same options in code
  // are refused alike (limits first, to name them as the spec's).
  if ('limits' in s) resolveLimits(s['limits'], `${type} spec "limits"`);
  if ('budget' in s) checkBudget(s['budget'], `${type} spec "budget"`);
  const options: Record<string, unknown> = { ...s };
  delete options['type'];
  delete options['budget'];
  if (type === 'trace') {
    const sink = s['sink'];
    const fileSink = isRecord(sink) && Object.keys(sink).length === 1 && (typeof sink['file'] === 'string' || typeof sink['chrome'] === 'string');
    if ('sink' in s && sink !== 'stderr' && !fileSink) {
      throw new HookError('ERR_INVALID_ARG', `trace spec "sink" must be "stderr", {"file": path} or {"chrome": path}, got ${describe(sink)}`);
    }
    checkTraceOptions(options);
  } else if (type === 'span') {
    const tracer = s['tracer'];
    if ('tracer' in s && (typeof tracer !== 'string' || tracer === '' || tracer.length > 128)) {
      throw new HookError('ERR_INVALID_ARG', `span spec "tracer" must be a non-empty string of at most 128 characters, got ${describe(tracer)}`);
    }
  } else if (type === 'assert') {
    if (!('predicate' in s)) {
      throw new HookError(
        'ERR_INVALID_ARG',
        'an assert spec needs a "predicate", e.g. {"type":"assert","predicate":{"arg":0,"op":"typeof","value":"string"}}',
      );
    }
    checkAssertOptions(options);
  }
  return { ...s, type: type as ObserverType };
}

/**
 * Parses an exit list, the form a command line gives: one type name (`latency`), several
 * (`trace,latency`), or one JSON spec (`{"type":"trace","every":10}`). Each goes through
 * {@link parseExitSpec}; returns one spec per exit.
 */
export function parseExitList(text: string): ExitSpec[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return [parseExitSpec(trimmed)];
  return trimmed.split(',').map((word) => parseExitSpec(word.trim()));
}

function toRecord(spec: unknown): Record<string, unknown> {
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
