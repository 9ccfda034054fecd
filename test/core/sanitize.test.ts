// One sanitiser for names inside generated code: nothing a name holds can end the comment it is shown in.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRegistry, hook } from '../../src/core/index.ts';
import { sanitize } from '../../src/core/internal.ts';
import { probe } from '../../src/probe/index.ts';

test("sanitize keeps a name's alphabet and replaces everything else, line terminators included", () => {
  assert.equal(sanitize('probe:./lib/db.js#Client.prototype.query'), 'probe:./lib/db.js#Client.prototype.query');
  assert.equal(sanitize('a:b\nreturn 1;\u2028*/'), 'a:b?return?1???/');
  assert.equal(sanitize('x'.repeat(500)).length, 120);
});

test('dispatchers and probe wrappers show names through the same sanitiser', () => {
  const registry = createRegistry();
  const h = hook('odd:a"b*/c', { registry });
  h.register(() => undefined, { armed: true });
  assert.match(h.source(), /^\/\/ hookwire dispatcher for "odd:a\?b\?\/c"/mu);
  const target = {
    'f"*/'(a: number) {
      return a;
    },
  };
  const p = probe(target, 'f"*/', { onEnter() {} }, { registry });
  const header = p
    .source()
    .split('\n')
    .find((line) => line.startsWith('// hookwire probe wrapper'));
  if (header !== undefined) assert.ok(header.includes(`"${sanitize(p.hook)}"`), header);
  p.remove();
});
