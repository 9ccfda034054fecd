// A tiny snapshot store: test/core/__snapshots__/<file>.json maps keys to expected text.
// Run with UPDATE_SNAPSHOTS=1 to (re)write it; otherwise a missing or different entry fails.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function snapshotStore(file: string) {
  const path = join(import.meta.dirname, '__snapshots__', `${file}.json`);
  const update = process.env['UPDATE_SNAPSHOTS'] === '1';
  const stored: Record<string, string> = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
  const seen: Record<string, string> = {};
  return {
    match(key: string, actual: string): void {
      seen[key] = actual;
      if (update) return;
      assert.ok(key in stored, `no snapshot "${key}" in ${path}: run UPDATE_SNAPSHOTS=1 npm test -- dispatcher-source`);
      assert.equal(actual, stored[key], `snapshot "${key}" changed`);
    },
    save(): void {
      if (update) writeFileSync(path, JSON.stringify(seen, null, 2) + '\n');
    },
  };
}
