import { describe } from '../core/validate.ts';

/**
 * Checks that a parsed JSON value has the shape its type promises. A shape returns the value it
 * was given, not a copy: fields it does not name pass through untouched, so an answer printed with
 * `--json` is still exactly what the agent sent.
 */
export type Shape<T> = (value: unknown, path: string) => T;

/** A value that does not have the wanted shape; the message names the path of the first mismatch. */
export class ShapeMismatch extends Error {
  constructor(path: string, expected: string, value: unknown) {
    super(`${path === '' ? 'the answer' : `"${path}"`} must be ${expected}, got ${describe(value)}`);
    this.name = 'ShapeMismatch';
  }
}

/** A string. */
export const string: Shape<string> = (value, path) => (typeof value === 'string' ? value : fail(path, 'a string', value));

/** A number. */
export const number: Shape<number> = (value, path) => (typeof value === 'number' ? value : fail(path, 'a number', value));

/** true or false. */
export const boolean: Shape<boolean> = (value, path) => (typeof value === 'boolean' ? value : fail(path, 'true or false', value));

/** Anything at all (a field whose content the protocol leaves open). */
export const anything: Shape<unknown> = (value) => value;

/** One of the given strings. */
export function oneOf<const T extends string>(values: readonly T[]): Shape<T> {
  return (value, path) =>
    typeof value === 'string' && (values as readonly string[]).includes(value) ? (value as T) : fail(path, `one of ${values.join(', ')}`, value);
}

/** `shape`, or null. */
export function nullable<T>(shape: Shape<T>): Shape<T | null> {
  return (value, path) => (value === null ? null : shape(value, path));
}

/** `shape`, or absent. */
export function optional<T>(shape: Shape<T>): Shape<T | undefined> {
  return (value, path) => (value === undefined ? undefined : shape(value, path));
}

/** An array whose every item has `item`'s shape. */
export function arrayOf<T>(item: Shape<T>): Shape<T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) return fail(path, 'an array', value);
    value.forEach((v, i) => item(v, `${path}[${i}]`));
    return value as T[];
  };
}

/** A JSON object used as a map: every value has `item`'s shape. */
export function recordOf<T>(item: Shape<T>): Shape<Record<string, T>> {
  return (value, path) => {
    const record = plain(value, path);
    for (const [key, v] of Object.entries(record)) item(v, join(path, key));
    return record as Record<string, T>;
  };
}

/** A JSON object with (at least) these fields; other fields are allowed and kept. */
export function object<T>(fields: { [K in keyof T]-?: Shape<T[K]> }): Shape<T> {
  return (value, path) => {
    const record = plain(value, path);
    for (const key of Object.keys(fields) as (keyof T & string)[]) fields[key](record[key], join(path, key));
    return record as T;
  };
}

/** The first of `shapes` that fits `value`, chosen by the string field `key` (`{ type: 'latency', … }`). */
export function taggedBy<T>(key: string, shapes: Record<string, Shape<T>>): Shape<T> {
  return (value, path) => {
    const tag = plain(value, path)[key];
    const shape = typeof tag === 'string' && Object.hasOwn(shapes, tag) ? shapes[tag] : undefined;
    if (shape === undefined) return fail(join(path, key), `one of ${Object.keys(shapes).join(', ')}`, tag);
    return shape(value, path);
  };
}

function plain(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(path, 'a JSON object', value);
  return value as Record<string, unknown>;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function fail(path: string, expected: string, value: unknown): never {
  throw new ShapeMismatch(path, expected, value);
}
