// The agent's environment variables: what is understood, and what is reported instead of thrown.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readAgentEnv } from '../../src/control/agent-env.ts';

test('an empty environment: Unix socket on, nothing attached, code generation on', () => {
  const c = readAgentEnv({});
  assert.deepEqual(c.attach, []);
  assert.deepEqual(c.control, { unix: true, tcp: false });
  assert.equal(c.codegen, true);
  assert.equal(c.traceFile, undefined);
  assert.equal(c.traceFormat, 'text');
  assert.equal(c.summaryDir, undefined);
  assert.deepEqual(c.problems, []);
});

test('HOOKWIRE_ATTACH takes attach requests; the bad ones are reported, the good ones kept', () => {
  const c = readAgentEnv({
    HOOKWIRE_ATTACH: JSON.stringify([
      { target: './a.js#f', exit: { type: 'latency' } },
      { target: 'app:x', exit: 'count', name: 'n', armed: false },
      { target: 'app:x' },
      { exit: 'count' },
      'nope',
    ]),
  });
  assert.deepEqual(c.attach, [
    { target: './a.js#f', exit: { type: 'latency' } },
    { target: 'app:x', exit: { type: 'count' }, name: 'n', armed: false },
  ]);
  assert.equal(c.problems.length, 3);
  assert.match(c.problems[0]!, /^HOOKWIRE_ATTACH\[2\]/u);
});

test('HOOKWIRE_ATTACH that is not a JSON array is one problem, nothing attached', () => {
  for (const value of ['{', '{"target":"a:b","exit":"count"}', '42']) {
    const c = readAgentEnv({ HOOKWIRE_ATTACH: value });
    assert.deepEqual(c.attach, []);
    assert.equal(c.problems.length, 1, value);
  }
});

test('HOOKWIRE_CONTROL: off, tcp, tcp:PORT with HOOKWIRE_TOKEN; anything else is a problem', () => {
  assert.deepEqual(readAgentEnv({ HOOKWIRE_CONTROL: 'off' }).control, { unix: false, tcp: false });
  assert.deepEqual(readAgentEnv({ HOOKWIRE_CONTROL: 'tcp' }).control, { unix: true, tcp: { port: 0 } });
  assert.deepEqual(readAgentEnv({ HOOKWIRE_CONTROL: 'tcp:9999', HOOKWIRE_TOKEN: 'secret-secret-secret' }).control, {
    unix: true,
    tcp: { port: 9999, token: 'secret-secret-secret' },
  });
  assert.equal(readAgentEnv({ HOOKWIRE_CONTROL: 'tcp:99999' }).problems.length, 1);
  assert.equal(readAgentEnv({ HOOKWIRE_CONTROL: 'udp' }).problems.length, 1);
});

test('HOOKWIRE_CODEGEN=off, trace file and format, summary dir and runtime dir are read', () => {
  const c = readAgentEnv({
    HOOKWIRE_CODEGEN: 'off',
    HOOKWIRE_TRACE_FILE: '/t',
    HOOKWIRE_SUMMARY_DIR: '/s',
    HOOKWIRE_RUNTIME_DIR: '/r',
    HOOKWIRE_TRACE_FORMAT: 'json',
  });
  assert.equal(c.codegen, false);
  assert.equal(c.traceFormat, 'json');
  assert.equal(readAgentEnv({ HOOKWIRE_TRACE_FORMAT: 'xml' }).problems.length, 1);
  assert.equal(c.traceFile, '/t');
  assert.equal(c.summaryDir, '/s');
  assert.equal(c.runtimeDir, '/r');
});
