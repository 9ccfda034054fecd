// Registries: get, list, snapshot (plain JSON), isolation, the default registry.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asyncGate, createRegistry, gate, hook, registry as defaultRegistry } from '../../src/core/index.ts';

test('get and list find hooks in declaration order; other registries are separate', () => {
  const registry = createRegistry();
  const a = hook('reg:a', { registry });
  const b = gate('reg:b', { registry });
  assert.equal(registry.get('reg:a'), a);
  assert.equal(registry.get('reg:none'), undefined);
  assert.deepEqual(registry.list(), [a, b]);
  assert.equal(a.registry, registry);
  assert.equal(createRegistry().get('reg:a'), undefined);
  assert.equal(defaultRegistry.get('reg:a'), undefined);
});

test('hooks go to the default registry unless told otherwise', () => {
  const h = hook('reg:default-one');
  assert.equal(defaultRegistry.get('reg:default-one'), h);
  h.terminate();
  assert.equal(defaultRegistry.get('reg:default-one'), undefined);
});

test('snapshot is plain JSON of hooks, exits, armed state and stats', () => {
  const registry = createRegistry();
  const h = hook<[string]>('reg:snap', { registry, args: ['path'], description: 'file opened' });
  h.register(() => undefined, { name: 'log', order: 'first', armed: true });
  h.register(() => undefined, { name: 'audit', order: 3 });
  h.fire('x');
  h.fire('y');
  asyncGate('reg:gate', { registry, exclusive: true, faults: 'isolate' });
  const snap = registry.snapshot();
  assert.deepEqual(JSON.parse(JSON.stringify(snap)), snap, 'round-trips through JSON');
  assert.deepEqual(snap, {
    sealed: false,
    faults: 0,
    hooks: [
      {
        name: 'reg:snap',
        kind: 'hook',
        enabled: true,
        sealed: false,
        exclusive: false,
        faults: 'propagate',
        args: ['path'],
        description: 'file opened',
        exits: [
          { name: 'log', order: 'first', armed: true, hits: 2, faults: 0 },
          { name: 'audit', order: 3, armed: false, hits: 0, faults: 0 },
        ],
      },
      { name: 'reg:gate', kind: 'asyncGate', enabled: false, sealed: false, exclusive: true, faults: 'isolate', args: null, exits: [] },
    ],
  });
});

test('a hook exposes its declaration', () => {
  const registry = createRegistry();
  const h = hook('reg:decl', { registry });
  assert.equal(h.name, 'reg:decl');
  assert.equal(h.kind, 'hook');
  assert.equal(h.exclusive, false);
  assert.equal(h.faults, 'propagate');
  assert.equal(h.args, null);
  assert.equal(h.description, undefined);
  assert.equal(h.sealed, false);
  assert.equal(h.terminated, false);
});

test('onDeclare sees each hook as it is declared, before it can fire; a failing listener is contained', () => {
  const registry = createRegistry();
  const seen: string[] = [];
  const off = registry.onDeclare((h) => {
    seen.push(h.name);
    h.register(() => void seen.push(`fired ${h.name}`), { armed: true });
  });
  registry.onDeclare(() => {
    throw new Error('tool bug');
  });
  const h = hook('reg:watched', { registry });
  h.fire();
  off();
  hook('reg:unwatched', { registry });
  assert.deepEqual(seen, ['reg:watched', 'fired reg:watched']);
  assert.throws(() => registry.onDeclare(5 as never), /a declare listener must be a function/);
});
