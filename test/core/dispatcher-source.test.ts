// The generated dispatchers, snapshot-tested across kind × exit count × faults × arity, and order.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { STOP, codeGenerationEnabled } from '../../src/core/index.ts';
import { KIND_CASES, fresh } from './harness.ts';
import { snapshotStore } from './snapshot.ts';

const store = snapshotStore('dispatcher-source');
after(() => store.save());

const CLOSURE_PREFIX = '// code generation is unavailable: this hook runs an equivalent closure dispatcher\n';

/** The generated code, whichever mode runs it (closure mode prefixes a note). */
function generated(source: string): string {
  if (codeGenerationEnabled()) return source;
  assert.ok(source.startsWith(CLOSURE_PREFIX), 'closure mode says so in source()');
  return source.slice(CLOSURE_PREFIX.length);
}

for (const kind of KIND_CASES) {
  for (const count of [1, 2, 3]) {
    for (const faults of ['propagate', 'isolate'] as const) {
      for (const args of [undefined, ['path', 'mode']]) {
        const key = `${kind.name} × ${count} exit(s) × ${faults} × ${args ? 'args(path, mode)' : 'rest'}`;
        test(key, () => {
          const { hook } = fresh(kind, args ? { faults, args } : { faults });
          for (let i = 0; i < count; i++) hook.register(() => undefined, { armed: true });
          const source = generated(hook.source()).replace(/"test:[^"]+"/, '"test:hook"');
          assert.ok(source.startsWith('"use strict";\n// hookwire dispatcher'));
          store.match(key, source);
        });
      }
    }
  }
}

test('order decides which exit is bound as e0, e1, e2: the code shape does not change', () => {
  const { hook } = fresh(KIND_CASES[0]!);
  const seen: string[] = [];
  hook.register(() => void seen.push('last'), { armed: true, order: 'last' });
  hook.register(() => void seen.push('mid'), { armed: true, order: 5 });
  hook.register(() => void seen.push('first'), { armed: true, order: 'first' });
  const plain = fresh(KIND_CASES[0]!).hook;
  for (let i = 0; i < 3; i++) plain.register(() => undefined, { armed: true });
  const norm = (s: string) => s.replace(/"test:[^"]+"/, '"test:hook"');
  assert.equal(norm(hook.source()), norm(plain.source()));
  hook.fire();
  assert.deepEqual(seen, ['first', 'mid', 'last']);
});

test('an idle hook shows that it has no armed exit', () => {
  const { hook } = fresh(KIND_CASES[0]!);
  assert.match(hook.source(), /has no armed exit/);
});

test('hook names cannot inject code into the generated source', () => {
  assert.throws(() => KIND_CASES[0]!.declare('x:a\u2028b', {}), /namespaced/);
  const evil = KIND_CASES[0]!.declare('x:a*/};globalThis.pwned=1;//', {});
  evil.register(() => STOP, { armed: true });
  evil.fire();
  assert.equal((globalThis as { pwned?: number }).pwned, undefined);
  assert.match(generated(evil.source()).split('\n')[1]!, /"x:a\?\/\?\?globalThis\.pwned\?1\?\/\/"/);
  evil.terminate({ force: true });
});
