// The CLI answers a probe spec itself when that loads none of the program's code (a malformed spec,
// a line, a builtin, a module that does not resolve), with the answer the throwaway process gives;
// a spec whose module must be loaded is left to that process, and nothing of it runs here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkSpec, checkSpecWithoutLoading } from '../../src/control/check-spec.ts';

const SIDE = './test/fixtures/spec-check/side-effect.cjs';
const loads = (): unknown => (globalThis as { hookwireSpecCheckLoaded?: number }).hookwireSpecCheckLoaded;

test('specs that need nothing loaded are answered here, as the full check answers them', async () => {
  const cases: [string, RegExp | 'ok'][] = [
    ['node:fs#readFileSync', 'ok'],
    ['fs#readFileSync', 'ok'],
    ['node:fs#readFileSyn', /^module node:fs has no "readFileSyn" \(did you mean `readFileSync`\?\)$/u],
    ['node:fs#constants.O_RDONLY', /constants\.O_RDONLY in node:fs is a number \(\d+\), not a function$/u],
    ['nosuchmodule_zz#f', /^cannot find module "nosuchmodule_zz"/u],
    ['./examples/service/pricing.js#quote', /\(did you mean `\.\/examples\/service\/pricing\.cjs`\?\)$/u],
    [`${SIDE}:2`, 'ok'],
    [`${SIDE}:99`, /^line 99 is past the end of .*side-effect\.cjs \(\d+ lines\)$/u],
    ['node:fs:3', /^malformed probe spec "node:fs:3"/u],
    ['semver#valid.', /^malformed probe spec "semver#valid\."/u],
  ];
  for (const [spec, want] of cases) {
    const here = checkSpecWithoutLoading(spec);
    assert.deepEqual(here, await checkSpec(spec), spec);
    if (want === 'ok') assert.deepEqual(here, { ok: true }, spec);
    else {
      assert.ok(here !== undefined && 'error' in here, spec);
      assert.match(here.error, want, spec);
    }
  }
  assert.equal(loads(), undefined, 'a line spec read the file without loading it');
});

test('a spec whose module must be loaded is left to the throwaway process, unloaded here', () => {
  assert.equal(checkSpecWithoutLoading(`${SIDE}#run`), undefined);
  assert.equal(checkSpecWithoutLoading(`${SIDE}#nothing`), undefined);
  assert.equal(checkSpecWithoutLoading('./test/fixtures/probe-modules/esm-lib.mjs#greet'), undefined);
  assert.equal(loads(), undefined);
});
