// The real src/ tree keeps the layer order, checked by the real ESLint config (eslint.config.js),
// so a crossing fails `npm test` even where `npm run lint` is not run. Only the layer rule and the
// core's Node-globals rules run here, without type information: seconds, not a full lint.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';

const root = new URL('../../', import.meta.url).pathname;
const RULES = new Set(['hookwire/layers', 'no-restricted-globals', 'no-restricted-properties']);

const eslint = new ESLint({
  cwd: root,
  ruleFilter: ({ ruleId }) => RULES.has(ruleId),
  // the layer rule needs syntax only; building the TypeScript program would cost a minute
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
});

function problems(results: ESLint.LintResult[]): string[] {
  return results.flatMap((r) => r.messages.map((m) => `${r.filePath.slice(root.length)}:${m.line} ${m.ruleId ?? 'fatal'}: ${m.message}`));
}

test('the config applies the layer rule to every layer and the core', async () => {
  for (const file of [
    'src/core/hook.ts',
    'src/core/compile/codegen.ts',
    'src/probe/site.ts',
    'src/exits/trace.ts',
    'src/control/agent.ts',
    'src/cli/main.ts',
  ]) {
    const config = (await eslint.calculateConfigForFile(join(root, file))) as { rules: Record<string, unknown[]> };
    assert.deepEqual(config.rules['hookwire/layers']?.[0], 2, `hookwire/layers is an error in ${file}`);
  }
  const core = (await eslint.calculateConfigForFile(join(root, 'src/core/hook.ts'))) as { rules: Record<string, unknown[]> };
  assert.equal(core.rules['no-restricted-globals']?.[0], 2, 'Node globals are refused in the core');
});

test('src/ has no layer crossing and the core no Node global', async () => {
  const results = await eslint.lintFiles(['src']);
  assert.ok(results.length >= 50, `linted ${results.length} files under src/`);
  assert.deepEqual(problems(results), []);
});

test('a planted crossing in a core file is reported through the real config', async () => {
  const planted = [
    "import type { Observer } from '../exits/index.ts';",
    "import { probe } from '../probe/index.ts';",
    'export const env = process.env;',
    'export type O = Observer | typeof probe;',
  ].join('\n');
  const results = await eslint.lintText(planted, { filePath: join(root, 'src/core/planted.ts') });
  const found = problems(results);
  assert.equal(found.filter((p) => p.includes('hookwire/layers')).length, 2, found.join('\n'));
  assert.equal(found.filter((p) => p.includes('no-restricted-globals')).length, 1, found.join('\n'));
});

test('a planted upward import and a side door in a layer are reported through the real config', async () => {
  const planted = ["import { parseArgs } from '../cli/args.ts';", "import { HookImpl } from '../core/hook.ts';", 'export { parseArgs, HookImpl };'].join(
    '\n',
  );
  const results = await eslint.lintText(planted, { filePath: join(root, 'src/exits/planted.ts') });
  assert.equal(problems(results).filter((p) => p.includes('hookwire/layers')).length, 2, problems(results).join('\n'));
});
