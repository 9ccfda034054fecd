// test/core/snapshot.ts for runtimes without a file system: the same checks against the same
// stored snapshots, which run.mjs embeds in the bundle (__HOOKWIRE_SNAPSHOTS__: file name → its
// JSON). It never writes: UPDATE_SNAPSHOTS works under Node only.
import assert from 'node:assert/strict';

declare const __HOOKWIRE_SNAPSHOTS__: Record<string, Record<string, string>>;

export function snapshotStore(file: string) {
  const stored = __HOOKWIRE_SNAPSHOTS__[file];
  if (stored === undefined) throw new Error(`portable snapshots: test/core/__snapshots__/${file}.json was not embedded`);
  return {
    match(key: string, actual: string): void {
      assert.ok(key in stored, `no snapshot "${key}" in ${file}.json`);
      assert.equal(actual, stored[key], `snapshot "${key}" changed`);
    },
    save(): void {},
  };
}
