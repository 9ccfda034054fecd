// A probe's call scope (src/probe/scope.ts): opened right before the original runs and closed right
// after it returned synchronously, for every kind of target (an async function's first `await`, a
// generator's each resumption), before the leave handlers; contained like any handler; absent from
// the wrapper of probes that do not have one. Boosted and generic wrappers, both compile modes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeGenerationEnabled } from '../../src/core/index.ts';
import { probe, type Probe, type ProbeHandlers } from '../../src/probe/index.ts';
import { CALL_SCOPE, type ScopeExit } from '../../src/probe/scope.ts';
import { freshRegistry } from './harness.ts';

/** A stand-in for an active context: what the code running now sees. */
const state = { cur: 'out' };

/** Handlers that log every moment; the scope sets `state.cur` to `tag` and gives the previous value back. */
function logging(log: string[], tag = 'in', extra: Partial<ProbeHandlers> = {}): ProbeHandlers {
  return {
    onEnter: () => void log.push(`enter:${state.cur}`),
    onLeave: () => void log.push(`leave:${state.cur}`),
    onError: () => void log.push(`error:${state.cur}`),
    [CALL_SCOPE]: (): ScopeExit => {
      const previous = state.cur;
      log.push(`open:${previous}`);
      state.cur = tag;
      return {
        dispose() {
          state.cur = previous;
          log.push(`close:${tag}`);
        },
      };
    },
    ...extra,
  } as ProbeHandlers;
}

for (const boost of [true, false]) {
  const how = boost ? 'boosted' : 'generic';

  test(`sync function and method: the scope is around the original, before onLeave; also when it throws (${how})`, () => {
    const log: string[] = [];
    const holder = {
      fn(a: number) {
        log.push(`body:${state.cur}`);
        if (a < 0) throw new RangeError('negative');
        return a;
      },
      plain: function plain(a: number) {
        log.push(`body:${state.cur}`);
        return a;
      },
    };
    const registry = freshRegistry();
    const probes = ['fn', 'plain'].map((k) => probe(holder, k, logging(log), { registry, boost }));
    assert.equal(holder.fn(2), 2);
    assert.deepEqual(log.splice(0), ['enter:out', 'open:out', 'body:in', 'close:in', 'leave:out']);
    assert.throws(() => holder.fn(-1), RangeError);
    assert.deepEqual(log.splice(0), ['enter:out', 'open:out', 'body:in', 'close:in', 'error:out']);
    assert.equal(holder.plain(3), 3);
    assert.deepEqual(log.splice(0), ['enter:out', 'open:out', 'body:in', 'close:in', 'leave:out']);
    for (const p of probes) p.remove();
    assert.equal(state.cur, 'out');
  });

  test(`construct calls (a class, a plain function with new): the scope is around the construction (${how})`, () => {
    const log: string[] = [];
    const holder = {
      K: class K {
        readonly seen: string;
        constructor(readonly a: number) {
          this.seen = state.cur;
        }
      },
      F: function F(this: { seen: string }) {
        this.seen = state.cur;
      } as unknown as new () => { seen: string },
    };
    const registry = freshRegistry();
    const probes = ['K', 'F'].map((k) => probe(holder, k, logging(log), { registry, boost }));
    const k = new holder.K(4);
    assert.ok(k instanceof holder.K);
    assert.deepEqual([k.a, k.seen], [4, 'in']);
    assert.equal(new holder.F().seen, 'in');
    assert.deepEqual(log.splice(0), ['enter:out', 'open:out', 'close:in', 'leave:out', 'enter:out', 'open:out', 'close:in', 'leave:out']);
    for (const p of probes) p.remove();
  });

  test(`async function: the scope closes at its first await (the caller's state is back), onLeave/onError at settlement (${how})`, async () => {
    const log: string[] = [];
    const holder = {
      async fn(a: number) {
        log.push(`body:${state.cur}`);
        await null;
        log.push(`resumed:${state.cur}`);
        if (a < 0) throw new RangeError('negative');
        return a;
      },
    };
    const p = probe(holder, 'fn', logging(log), { registry: freshRegistry(), boost });
    const pending = holder.fn(1);
    log.push(`returned:${state.cur}`);
    assert.equal(await pending, 1);
    assert.deepEqual(log.splice(0), ['enter:out', 'open:out', 'body:in', 'close:in', 'returned:out', 'resumed:out', 'leave:out']);
    const failing = holder.fn(-1);
    log.push(`returned:${state.cur}`);
    await assert.rejects(failing, RangeError);
    assert.deepEqual(log.splice(0), ['enter:out', 'open:out', 'body:in', 'close:in', 'returned:out', 'resumed:out', 'error:out']);
    p.remove();
  });

  test(`generator: the creation and every resumption (next, throw, return) run inside the scope; onLeave at completion (${how})`, () => {
    const log: string[] = [];
    const holder = {
      *fn(a: number): Generator<number, void, number> {
        try {
          log.push(`g1:${state.cur}`);
          const got = yield a;
          log.push(`g2:${state.cur}:${got}`);
          yield got;
        } catch (error) {
          log.push(`caught:${state.cur}:${(error as Error).message}`);
          yield -1;
        } finally {
          log.push(`finally:${state.cur}`);
        }
      },
    };
    const p = probe(holder, 'fn', logging(log), { registry: freshRegistry(), boost });
    const it = holder.fn(1);
    log.push(`created:${state.cur}`);
    assert.deepEqual(it.next(), { value: 1, done: false });
    log.push(`between:${state.cur}`);
    assert.deepEqual(it.next(7), { value: 7, done: false });
    assert.deepEqual(it.next(), { value: undefined, done: true });
    assert.deepEqual(log.splice(0), [
      'enter:out',
      'open:out',
      'close:in',
      'created:out',
      'open:out',
      'g1:in',
      'close:in',
      'between:out',
      'open:out',
      'g2:in:7',
      'close:in',
      'open:out',
      'finally:in',
      'close:in',
      'leave:out',
    ]);
    const thrown = holder.fn(2);
    thrown.next();
    assert.deepEqual(thrown.throw(new Error('stop')), { value: -1, done: false });
    assert.deepEqual(thrown.return(), { value: undefined, done: true });
    assert.deepEqual(log.splice(0).slice(6), ['open:out', 'caught:in:stop', 'close:in', 'open:out', 'finally:in', 'close:in', 'leave:out']);
    p.remove();
  });

  test(`async generator: each resumption's synchronous part runs inside the scope (${how})`, async () => {
    const log: string[] = [];
    const holder = {
      async *fn(a: number) {
        log.push(`g1:${state.cur}`);
        await null;
        yield a;
        log.push(`g2:${state.cur}`);
      },
    };
    const p = probe(holder, 'fn', logging(log), { registry: freshRegistry(), boost });
    const seen: number[] = [];
    for await (const v of holder.fn(3)) seen.push(v);
    assert.deepEqual(seen, [3]);
    assert.deepEqual(log.splice(0), ['enter:out', 'open:out', 'close:in', 'open:out', 'g1:in', 'close:in', 'open:out', 'g2:in', 'close:in', 'leave:out']);
    p.remove();
  });

  test(`an onEnter override skips the original and its scope (${how})`, async () => {
    const log: string[] = [];
    const holder = {
      fn: () => log.push('body'),
      async later() {
        log.push('body');
        return 0;
      },
    };
    const registry = freshRegistry();
    const probes = ['fn', 'later'].map((k) => probe(holder, k, logging(log, 'in', { onEnter: () => ({ value: 9 }) }), { registry, boost }));
    assert.equal(holder.fn(), 9);
    assert.equal(await holder.later(), 9);
    assert.deepEqual(log, ['leave:out', 'leave:out']);
    for (const p of probes) p.remove();
  });

  test(`a scope that throws, or whose dispose throws, is a fault of its probe; the call goes on (${how})`, async () => {
    const registry = freshRegistry();
    const faults: string[] = [];
    registry.onFault((e) => faults.push(e.error.message));
    const holder = {
      fn: (a: number) => a + 1,
      async later(a: number) {
        await null;
        return a + 1;
      },
    };
    const opening = probe(
      holder,
      'fn',
      {
        [CALL_SCOPE]: () => {
          throw new Error('open broke');
        },
      } as ProbeHandlers,
      { registry, boost },
    );
    const closing = probe(
      holder,
      'later',
      {
        [CALL_SCOPE]: () => ({
          dispose() {
            throw new Error('close broke');
          },
        }),
      } as ProbeHandlers,
      { registry, boost },
    );
    assert.equal(holder.fn(1), 2);
    assert.equal(await holder.later(1), 2);
    assert.deepEqual(faults, ['open broke', 'close broke']);
    assert.equal(opening.stats.faults, 1);
    assert.equal(closing.stats.faults, 1);
    assert.equal(opening.stats.hits, 1);
    opening.remove();
    closing.remove();
  });

  test(`several probes: scopes open in running order and close in reverse; one without a scope beside them (${how})`, () => {
    const log: string[] = [];
    const holder = { fn: () => log.push(`body:${state.cur}`) };
    const registry = freshRegistry();
    const a = probe(holder, 'fn', logging(log, 'a'), { registry, boost, order: 1 });
    const b = probe(holder, 'fn', logging(log, 'b'), { registry, boost, order: 2 });
    const plain = probe(holder, 'fn', { onLeave: () => void log.push('plain') }, { registry, boost, order: 3 });
    holder.fn();
    assert.deepEqual(
      log.filter((x) => !x.startsWith('enter') && !x.startsWith('leave')),
      ['open:out', 'open:a', 'body:b', 'close:b', 'close:a', 'plain'],
    );
    for (const p of [a, b, plain]) p.remove();
  });

  test(`a probed call made inside a scope runs unprobed (missed), like one from any handler (${how})`, () => {
    const registry = freshRegistry();
    const other = { fn: (a: number) => a };
    const counted = probe(other, 'fn', { onEnter() {} }, { registry, boost });
    const holder = { fn: (a: number) => a };
    const scoped = probe(holder, 'fn', { [CALL_SCOPE]: () => void other.fn(1) } as ProbeHandlers, { registry, boost });
    holder.fn(1);
    assert.equal(counted.stats.missed, 1);
    assert.equal(counted.stats.hits, 0);
    other.fn(2);
    assert.equal(counted.stats.hits, 1);
    for (const p of [counted, scoped]) p.remove();
  });

  test(`a generator resumed after its scoped probe was disarmed runs outside the scope (${how})`, () => {
    const log: string[] = [];
    const holder = {
      *fn() {
        log.push(`g:${state.cur}`);
        yield 1;
        log.push(`g:${state.cur}`);
      },
    };
    const p: Probe = probe(holder, 'fn', logging(log), { registry: freshRegistry(), boost });
    const it = holder.fn();
    it.next();
    p.disarm();
    it.next();
    assert.deepEqual(
      log.filter((x) => x.startsWith('g:')),
      ['g:in', 'g:out'],
    );
    p.remove();
  });
}

test('the compiled wrapper calls the scope only when a probe has one', { skip: !codeGenerationEnabled() && 'compiled mode only' }, () => {
  const registry = freshRegistry();
  const holder = {
    fn: (a: number) => a,
    async later(a: number) {
      return a;
    },
  };
  const plain = probe(holder, 'fn', { onEnter() {}, onLeave() {} }, { registry });
  const plainAsync = probe(holder, 'later', { onEnter() {}, onLeave() {} }, { registry });
  for (const p of [plain, plainAsync]) {
    assert.doesNotMatch(p.source(), /\b[OX]\(P/u);
  }
  const scoped = probe(holder, 'fn', { [CALL_SCOPE]: () => undefined } as ProbeHandlers, { registry });
  assert.match(scoped.source(), /const u = O\(P, cs\);/u);
  assert.match(scoped.source(), /X\(P, u\);/u);
  scoped.remove();
  assert.doesNotMatch(plain.source(), /\b[OX]\(P/u);
  for (const p of [plain, plainAsync]) p.remove();
});
