/**
 * The catalogue's exit types and the fields each takes in a spec: the one list. Apart from
 * exit-spec.ts, which checks the fields' values with every exit's option checks, so that what only
 * names the types (the control protocol's answer check, the CLI's help) loads none of them.
 */
import type { ObserverType } from './observer.ts';

/**
 * The fields each exit type accepts in a spec. Its keys are the catalogue's one list of exit
 * types ({@link EXIT_TYPES}); the record's type makes the compiler insist on every observer type.
 */
export const SPEC_FIELDS: Readonly<Record<ObserverType, readonly string[]>> = Object.freeze({
  trace: ['type', 'every', 'rate', 'sink', 'format', 'limits', 'budget'],
  count: ['type', 'budget'],
  latency: ['type', 'budget'],
  assert: ['type', 'predicate', 'captureDir', 'capture', 'limits', 'budget'],
  span: ['type', 'limits', 'tracer'],
  publish: ['type'],
});

/** The catalogue's exit types, in the order messages and help texts list them. */
export const EXIT_TYPES: readonly ObserverType[] = Object.freeze(Object.keys(SPEC_FIELDS) as ObserverType[]);

/** The types a bare name may give: all but assert, whose spec needs its predicate (so JSON). */
export const NAMED_EXIT_TYPES: readonly ObserverType[] = Object.freeze(EXIT_TYPES.filter((type) => type !== 'assert'));
