/**
 * Observers from exit specs, the form the agent, the control socket and the CLI use. The spec is
 * parsed and checked whole by `parseExitSpec` (exit-spec.ts) and built by spec-build.ts; this
 * file gives it every exit type (what a program that builds observers itself wants).
 */
import { assert } from './assert.ts';
import { count } from './count.ts';
import { latency } from './latency.ts';
import type { Observer } from './observer.ts';
import { publish } from './publish.ts';
import { buildObserver, type ExitMakers, type SpecDefaults } from './spec-build.ts';
import { span } from './span.ts';
import { trace } from './trace.ts';

export type { SpecDefaults } from './spec-build.ts';

const EVERY_EXIT: ExitMakers = Object.freeze({ count, latency, trace, span, publish, assert });

/**
 * Makes an observer from a spec: an object such as `{"type":"trace","every":10}` or
 * `{"type":"assert","predicate":{"arg":0,"op":"typeof","value":"string"}}`, a JSON text of one,
 * or a bare type name (`"trace"`, `"count"`, `"latency"`). Throws ERR_INVALID_ARG for anything
 * else: malformed JSON, an unknown type or field, a bad value, a file path where `allowFiles` is
 * false.
 */
export function observerFromSpec(spec: unknown, defaults?: SpecDefaults): Observer {
  return buildObserver(spec, defaults, EVERY_EXIT);
}
