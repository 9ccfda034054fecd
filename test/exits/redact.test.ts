// Redaction: summaries mask values under sensitive keys by default (case and separators ignored),
// in trace records and assert captures alike; the list is an option, a spec field, and can be off.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRegistry, hook, HookError } from '../../src/core/index.ts';
import { attach, observerFromSpec, summarize, trace, type TraceRecord } from '../../src/exits/index.ts';
import { DEFAULT_REDACT, resolveLimits } from '../../src/exits/summarize.ts';
import { call } from './helpers.ts';

const login = {
  user: 'ada',
  password: 'hunter2',
  headers: { Authorization: 'Bearer abc', 'Set-Cookie': 'sid=1', 'x-api-key': 'k', accept: 'json' },
  accessToken: 'tok',
  client_secret: 's',
  nested: { db: { PASSWORD: 'p', port: 5432 } },
};

test('values under sensitive keys are masked by default, whatever their case and separators', () => {
  assert.deepEqual(summarize(login), {
    user: 'ada',
    password: '[Redacted]',
    headers: { Authorization: '[Redacted]', 'Set-Cookie': '[Redacted]', 'x-api-key': '[Redacted]', accept: 'json' },
    accessToken: '[Redacted]',
    client_secret: '[Redacted]',
    nested: { db: { PASSWORD: '[Redacted]', port: 5432 } },
  });
  // An object under a sensitive key is masked whole; a getter is never read, so it stays a getter.
  assert.deepEqual(summarize({ credentials: { user: 'a', pass: 'b' } }), { credentials: '[Redacted]' });
  assert.deepEqual(
    summarize({
      get token() {
        return 'x';
      },
    }),
    { token: '[Getter]' },
  );
  assert.ok(DEFAULT_REDACT.includes('password') && DEFAULT_REDACT.includes('cookie'));
});

test('the list is configurable: other words replace the defaults, [] masks nothing', () => {
  assert.deepEqual(summarize({ ssn: '123', password: 'p' }, { redact: ['SSN'] }), { ssn: '[Redacted]', password: 'p' });
  assert.deepEqual(summarize({ password: 'p' }, { redact: [] }), { password: 'p' });
  const bad = (pattern: RegExp) => (e: unknown) => e instanceof HookError && e.code === 'ERR_INVALID_ARG' && pattern.test(e.message);
  assert.throws(() => resolveLimits({ redact: 'password' }), bad(/limits\.redact must be an array of at most 100 key words/u));
  assert.throws(() => resolveLimits({ redact: ['--'] }), bad(/limits\.redact words must be strings of 1 to 64 characters/u));
  assert.throws(() => resolveLimits({ redact: [1] }), bad(/limits\.redact words/u));
});

test('trace records mask arguments and results, by default and per spec', () => {
  const records: TraceRecord[] = [];
  const t = trace({ sink: { callback: (r) => records.push(r) } });
  call(t.forProbe(), 'probe:login', [login.user, { password: 'hunter2' }], { result: { sessionId: 'abc', ok: true } });
  assert.deepEqual(records[0]?.args, ['ada', { password: '[Redacted]' }]);
  assert.deepEqual(records[0]?.result, { sessionId: '[Redacted]', ok: true });

  const fromSpec = observerFromSpec({ type: 'trace', limits: { redact: ['ssn'] } }, { sink: { callback: (r) => records.push(r) } });
  call(fromSpec.forProbe(), 'probe:x', [{ ssn: '1', password: 'p' }], { result: undefined });
  assert.deepEqual(records[1]?.args, [{ ssn: '[Redacted]', password: 'p' }]);
});

test("a hook's declared argument names are keys too", () => {
  const registry = createRegistry();
  const h = hook<[user: string, password: string]>('redact:login', { registry, args: ['user', 'password'] });
  const records: TraceRecord[] = [];
  attach(trace({ sink: { callback: (r) => records.push(r) } }), h);
  h.fire('ada', 'hunter2');
  assert.deepEqual(records[0]?.args, { user: 'ada', password: '[Redacted]' });
});
