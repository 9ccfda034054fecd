// The CLI and the API accept and refuse the same probe specs, hook names and exit specs: each
// table runs through every CLI path and every API path, which share one owner per rule.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../src/cli/args.ts';
import { checkTarget, parseExitArg, parseHookOption, parseProbeOption } from '../../src/cli/site-args.ts';
import { validateAttachRequest } from '../../src/control/requests.ts';
import { resolveTarget } from '../../src/control/resolve-target.ts';
import { createRegistry, hook, HookError } from '../../src/core/index.ts';
import { attach, count, observerFromSpec, parseExitSpec } from '../../src/exits/index.ts';
import { parseProbeSpec, probeSpec } from '../../src/probe/index.ts';

/** true if `fn` accepts; false if it refuses the input as malformed (a UsageError or ERR_INVALID_ARG). */
function accepts(fn: () => unknown): boolean {
  try {
    const result = fn();
    (result as { remove?: () => void } | undefined)?.remove?.();
    (result as { close?: () => void } | undefined)?.close?.();
    return true;
  } catch (error) {
    if (error instanceof UsageError || (error instanceof HookError && error.code === 'ERR_INVALID_ARG')) return false;
    // Any other refusal (a module not found, a hook not declared) comes after the spec was accepted.
    if (error instanceof HookError) return true;
    throw error;
  }
}

function agree(input: string, expected: boolean, paths: Record<string, () => unknown>): void {
  for (const [path, fn] of Object.entries(paths)) {
    assert.equal(accepts(fn), expected, `${path} ${expected ? 'refused' : 'accepted'} ${JSON.stringify(input).slice(0, 80)}`);
  }
}

const PROBE_SPECS: [string, boolean][] = [
  ['node:fs#readFileSync', true],
  ['node:path#posix.basename', true],
  ['./lib/db.js#Client.prototype.query', true],
  ['#db/client.js#query', true], // a subpath import: the last # separates the path
  ['./my dir/a.js#f', true],
  ['nohash', false],
  ['#readFileSync', false],
  ['node:fs#', false],
  ['node:fs#a..b', false],
  ['node:fs#a b', false],
  ['./a\u0001.js#f', false],
  [`${'x'.repeat(1100)}#f`, false],
];

test('probe specs: run --probe, attach/trace targets, parseProbeSpec, probeSpec and attach agree', () => {
  const registry = createRegistry();
  for (const [spec, ok] of PROBE_SPECS) {
    agree(spec, ok, {
      'hookwire run --probe': () => parseProbeOption(spec),
      'hookwire attach/trace TARGET': () => checkTarget(spec, spec),
      'hookwire attach/trace probe:TARGET': () => checkTarget(`probe:${spec}`, spec),
      parseProbeSpec: () => parseProbeSpec(spec),
      probeSpec: () => probeSpec(spec, {}, { registry }),
      "exits attach (the control server's path)": () => attach(count(), spec, { registry }),
    });
  }
  assert.equal(registry.list().length, 0);
});

const HOOK_NAMES: [string, boolean][] = [
  ['app:request', true],
  ['a:b:c', true],
  ['nocolon', false],
  [':b', false],
  ['a:', false],
  ['a :b', false],
  ['a:b\u0007', false],
  [`x:${'y'.repeat(300)}`, false],
];

test('hook names: run --hook, attach/trace targets, hook() and the control server agree', () => {
  const registry = createRegistry();
  const undeclared = createRegistry();
  for (const [name, ok] of HOOK_NAMES) {
    agree(name, ok, {
      'hookwire run --hook': () => parseHookOption(name),
      'hookwire attach/trace TARGET': () => checkTarget(name, name),
      hook: () => hook(name, { registry }),
      'control server (a hook attached once declared)': () => {
        try {
          if (resolveTarget(undeclared, name, true) !== null) throw new UsageError('taken for a probe spec');
        } catch (error) {
          if (error instanceof HookError && error.code === 'ERR_NOT_FOUND') throw new UsageError(error.message);
          throw error;
        }
      },
    });
  }
});

const EXIT_SPECS: [string, boolean][] = [
  ['trace', true],
  ['count', true],
  [' latency ', true],
  ['assert', false],
  ['bogus', false],
  ['', false],
  ['TRACE', false],
  ['toString', false],
  ['["trace"]', false],
  ['{"type":"trace","every":10}', true],
  ['{"type":"trace","every":0}', false],
  ['{"type":"trace","rate":2}', false],
  ['{"type":"trace","format":"json"}', true],
  ['{"type":"trace","format":"yaml"}', false],
  ['{"type":"trace","sink":"stderr"}', true],
  ['{"type":"trace","sink":"stdout"}', false],
  ['{"type":"trace","sink":{"file":""}}', false],
  ['{"type":"trace","limits":{"depth":2}}', true],
  ['{"type":"trace","limits":{"depth":-1}}', false],
  ['{"type":"count","every":2}', false],
  ['{"type":"latency","sink":"stderr"}', false],
  ['{"type":"count","__proto__":{}}', false],
  ['{"type":"assert","predicate":{"arg":0,"op":"typeof","value":"string"}}', true],
  ['{"type":"assert"}', false],
  ['{"type":"assert","predicate":{"op":"nonsense"}}', false],
  ['{"type":"assert","predicate":{"arg":0,"op":"exists"},"capture":"yes"}', false],
  ['{"type":', false],
  ['{"type":3}', false],
];

test('exit specs: attach EXIT, run --probe/--hook, observerFromSpec and the control protocol agree', () => {
  for (const [text, ok] of EXIT_SPECS) {
    const json = text.trim().startsWith('{')
      ? (() => {
          try {
            return JSON.parse(text) as unknown;
          } catch {
            return text;
          }
        })()
      : text;
    agree(text, ok, {
      'hookwire attach PID TARGET EXIT': () => parseExitArg(text, 'EXIT'),
      'hookwire run --hook a:b=EXIT': () => parseHookOption(`a:b=${text}`),
      'hookwire run --probe node:fs#readFileSync=EXIT': () => parseProbeOption(`node:fs#readFileSync=${text}`),
      parseExitSpec: () => parseExitSpec(text),
      'observerFromSpec(text)': () => observerFromSpec(text),
      'observerFromSpec(object)': () => observerFromSpec(json),
      'POST /v1/attach': () => validateAttachRequest({ target: 'a:b', exit: json }),
    });
  }
});

test('an exit list on the command line is accepted exactly when the API accepts each of its exits', () => {
  for (const list of ['trace,latency', 'count, latency', 'trace,bogus', 'trace,', 'assert,count']) {
    const each = list.split(',').every((item) => accepts(() => observerFromSpec(item.trim())));
    assert.equal(
      accepts(() => parseExitArg(list, 'EXIT')),
      each,
      list,
    );
  }
});
