import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createRegistry, hook, HookError } from '../../src/core/index.ts';
import { assert as assertExit, type AssertCapture } from '../../src/exits/assert.ts';
import { call, ctx } from './helpers.ts';

const root = mkdtempSync(join(tmpdir(), 'hookwire-assert-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => join(root, `d${++n}`);
const isInvalid = (e: unknown) => e instanceof HookError && e.code === 'ERR_INVALID_ARG';

test('the first failure writes one capture file; later failures are only counted', () => {
  const dir = freshDir();
  const registry = createRegistry();
  const h = hook<[unknown, number]>('assert:input', { registry, args: ['name', 'size'] });
  const a = assertExit({ predicate: { arg: 'name', op: 'typeof', value: 'string' }, captureDir: dir, now: () => 1_700_000_000_000 });
  h.register(a.forHook(h), { armed: true, name: 'check' });
  h.fire('ok', 1);
  function callerOfTheBadFire(): void {
    h.fire(42, 2);
  }
  callerOfTheBadFire();
  h.fire({ not: 'a string' }, 3);
  h.fire('ok again', 4);
  const report = a.report();
  const site = report.sites['assert:input'];
  assert.ok(site !== undefined);
  assert.equal(site.hits, 4);
  assert.equal(site.checks, 4);
  assert.equal(site.failures, 2);
  assert.equal(site.faults, 0);
  assert.ok(typeof site.captured === 'string');
  assert.deepEqual(readdirSync(dir), [site.captured.slice(dir.length + 1)]);
  const captured = JSON.parse(readFileSync(site.captured, 'utf8')) as AssertCapture;
  assert.equal(captured.hookwire, 'assert-capture');
  assert.equal(captured.site, 'assert:input');
  assert.equal(captured.time, 1_700_000_000_000);
  assert.equal(captured.date, '2023-11-14T22:13:20.000Z');
  assert.equal(captured.pid, process.pid);
  assert.deepEqual(captured.args, { name: 42, size: 2 }, 'the arguments of the first failure');
  assert.deepEqual(captured.predicate, { arg: 'name', op: 'typeof', value: 'string' });
  assert.match(captured.stack, /callerOfTheBadFire/);
  const snap = captured.registry as { hooks: { name: string; exits: { name: string; armed: boolean }[] }[] };
  assert.deepEqual(
    snap.hooks.map((x) => [x.name, x.exits.map((e) => [e.name, e.armed])]),
    [['assert:input', [['check', true]]]],
  );
  assert.equal(statSync(site.captured).mode & 0o777, 0o600);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
});

test('each site gets its own first capture', () => {
  const dir = freshDir();
  const a = assertExit({ predicate: { arg: 0, op: '>', value: 0 }, captureDir: dir });
  const handlers = a.forProbe();
  call(handlers, 'probe:a#f', [0], { result: 1 });
  call(handlers, 'probe:b#g', [-1], { result: 1 });
  call(handlers, 'probe:a#f', [-5], { result: 1 });
  const report = a.report();
  assert.equal(readdirSync(dir).length, 2);
  assert.equal(report.sites['probe:a#f']?.failures, 2);
  assert.equal(report.sites['probe:b#g']?.failures, 1);
  assert.notEqual(report.sites['probe:a#f']?.captured, report.sites['probe:b#g']?.captured);
});

test('on a probe, an argument predicate is checked at entry, with the arguments as they were', () => {
  const dir = freshDir();
  const a = assertExit({ predicate: { arg: '0.items.length', op: '<=', value: 2 }, captureDir: dir });
  const handlers = a.forProbe();
  const list = { items: [1, 2] };
  call(handlers, 'probe:q#push', [list], { result: undefined }, () => list.items.push(3));
  assert.equal(a.report().sites['probe:q#push']?.failures, 0, 'checked before the callee grew the list');
  call(handlers, 'probe:q#push', [list], { result: undefined });
  assert.equal(a.report().sites['probe:q#push']?.failures, 1);
});

test('on a probe, a result predicate waits for completion; a throw has no result', () => {
  const dir = freshDir();
  const a = assertExit({ predicate: { result: 'status', op: '<', value: 500 }, captureDir: dir });
  const handlers = a.forProbe();
  const c = ctx('probe:http#handle', ['/x']);
  handlers.onEnter(c);
  assert.equal(a.report().sites['probe:http#handle']?.checks, 0, 'nothing to check before the result');
  handlers.onLeave(c, { status: 200 });
  call(handlers, 'probe:http#handle', ['/y'], { result: { status: 503 } });
  call(handlers, 'probe:http#handle', ['/z'], { error: new TypeError('boom') });
  const site = a.report().sites['probe:http#handle'];
  assert.equal(site?.checks, 3);
  assert.equal(site?.failures, 2);
  const captured = JSON.parse(readFileSync(site?.captured ?? '', 'utf8')) as AssertCapture;
  assert.deepEqual(captured.args, ['/y']);
  assert.deepEqual(captured.result, { status: 503 });
  assert.equal('error' in captured, false);
});

test('an error predicate captures the error with its stack', () => {
  const dir = freshDir();
  const a = assertExit({ predicate: { not: { error: true, op: 'exists' } }, captureDir: dir });
  call(a.forProbe(), 'probe:e#f', [], { error: new RangeError('out of range') });
  const site = a.report().sites['probe:e#f'];
  const captured = JSON.parse(readFileSync(site?.captured ?? '', 'utf8')) as AssertCapture;
  assert.equal(captured.error?.name, 'RangeError');
  assert.equal(captured.error?.message, 'out of range');
  assert.match(captured.error?.stack ?? '', /RangeError: out of range/);
});

test('checking and capturing never invoke getters of the arguments', () => {
  const dir = freshDir();
  let calls = 0;
  const arg = {
    get secret() {
      calls++;
      return 1;
    },
  };
  const a = assertExit({ predicate: { arg: '0.secret', op: '==', value: 1 }, captureDir: dir });
  call(a.forProbe(), 'probe:g#f', [arg], { result: 1 });
  const site = a.report().sites['probe:g#f'];
  assert.equal(site?.failures, 1, 'an accessor reads as undefined');
  assert.deepEqual((JSON.parse(readFileSync(site?.captured ?? '', 'utf8')) as AssertCapture).args, [{ secret: '[Getter]' }]);
  assert.equal(calls, 0);
});

test('capture: false counts failures and writes nothing', () => {
  const dir = freshDir();
  const a = assertExit({ predicate: { arg: 0, op: 'exists' }, captureDir: dir, capture: false });
  call(a.forProbe(), 'probe:n#f', [], { result: 1 });
  assert.equal(a.report().sites['probe:n#f']?.failures, 1);
  assert.equal(a.report().sites['probe:n#f']?.captured, null);
  assert.throws(() => statSync(dir), /ENOENT/);
});

test('a capture that cannot be written is a contained fault with a reason', () => {
  const file = join(root, 'not-a-dir');
  writeFileSync(file, 'x');
  const registry = createRegistry();
  const h = hook<[number]>('assert:unwritable', { registry });
  const a = assertExit({ predicate: { arg: 0, op: '>', value: 0 }, captureDir: join(file, 'sub') });
  h.register(a.forHook(h), { armed: true });
  assert.doesNotThrow(() => h.fire(-1));
  h.fire(-2);
  const site = a.report().sites['assert:unwritable'];
  assert.equal(site?.failures, 2);
  assert.equal(site?.captured, null);
  assert.match(site?.captureError ?? '', /ENOTDIR|EEXIST|not a directory/);
  assert.equal(site?.faults, 1, 'one capture attempt, one fault');
});

test('a capture directory writable by others is refused', () => {
  const dir = freshDir();
  mkdirSync(dir);
  chmodSync(dir, 0o777);
  const a = assertExit({ predicate: { arg: 0, op: 'exists' }, captureDir: dir });
  call(a.forProbe(), 'probe:p#f', [], { result: 1 });
  assert.match(a.report().sites['probe:p#f']?.captureError ?? '', /writable by group or others/);
  assert.deepEqual(readdirSync(dir), []);
});

test('a hook cannot take a predicate on the result, or on argument names it lacks', () => {
  const registry = createRegistry();
  const h = hook<[number]>('assert:nores', { registry, args: ['n'] });
  assert.throws(
    () => assertExit({ predicate: { result: true, op: 'exists' } }).forHook(h),
    (e: unknown) => isInvalid(e) && /attach it to a probe/.test((e as Error).message),
  );
  assert.throws(
    () => assertExit({ predicate: { arg: 'm', op: 'exists' } }).forHook(h),
    (e: unknown) => isInvalid(e) && /does not declare/.test((e as Error).message),
  );
  const ok = assertExit({ predicate: { arg: 'n', op: 'exists' } });
  assert.equal(typeof ok.forHook(h), 'function');
});

test('the default capture directory is per user under os.tmpdir()', () => {
  // only checks where it would go: a passing predicate never writes
  const a = assertExit({ predicate: { arg: 0, op: 'exists' } });
  call(a.forProbe(), 'probe:d#f', [1], { result: 1 });
  assert.equal(a.report().sites['probe:d#f']?.captured, null);
});

test('bad options throw ERR_INVALID_ARG', () => {
  const bad: unknown[] = [
    undefined,
    {},
    { predicate: { arg: 0 } },
    { predicate: { arg: 0, op: 'exists' }, captureDir: '' },
    { predicate: { arg: 0, op: 'exists' }, captureDir: 5 },
    { predicate: { arg: 0, op: 'exists' }, capture: 'yes' },
    { predicate: { arg: 0, op: 'exists' }, limits: { depth: 'deep' } },
    { predicate: { arg: 0, op: 'exists' }, registry: {} },
    { predicate: { arg: 0, op: 'exists' }, captureDirectory: '/tmp' },
  ];
  for (const options of bad) assert.throws(() => assertExit(options as never), isInvalid, JSON.stringify(options));
});
