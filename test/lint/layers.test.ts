// The layer rule (eslint-rules/layers.js) itself: each clause accepts what the order allows and
// refuses each way of importing across it (static, type-only, re-export, import(), require(),
// `import x = require()`, `import()` types), with relative paths resolved from the importing file.
import { RuleTester } from 'eslint';
import { describe, it } from 'node:test';
import tseslint from 'typescript-eslint';
import plugin from '../../eslint-rules/layers.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

// A virtual tree: the rule resolves paths, it never reads the disk.
const ROOT = '/virtual/repo';
const options = [{ src: `${ROOT}/src`, packageName: 'hookwire' }];
const at = (file: string) => `${ROOT}/src/${file}`;

const tester = new RuleTester({
  languageOptions: { parser: tseslint.parser, ecmaVersion: 'latest', sourceType: 'module' },
});

type Case = { code: string; filename: string; options: typeof options };
type Bad = Case & { errors: { messageId: string; data?: Record<string, string> }[] };
const ok = (file: string, code: string): Case => ({ code, filename: at(file), options });
const bad = (file: string, code: string, ...messageIds: string[]): Bad => ({
  code,
  filename: at(file),
  options,
  errors: messageIds.map((messageId) => ({ messageId })),
});

tester.run('hookwire/layers', plugin.rules.layers, {
  valid: [
    // (a) the core imports core files, by any relative spelling
    ok('core/hook.ts', "import { STOP } from './stop.ts';"),
    ok('core/hook.ts', "import type { Hook } from './types.ts';"),
    ok('core/index.ts', "export { hook } from './factories.ts'; export * from './types.ts';"),
    ok('core/compile/codegen.ts', "import { STOP } from '../stop.ts'; import type { DispatchPlan } from './plan.ts';"),
    ok('core/compile/codegen.ts', "import { x } from '../../core/stop.ts';"),
    // a core file whose name merely mentions a layer is still a core file
    ok('core/hook.ts', "import { probeHelpers } from './probe-helpers.ts';"),
    ok('core/compile/index.ts', "const m = await import('./codegen.ts');"),
    // (b) a layer imports its own layer and the layers below it
    ok('probe/site.ts', "import { wrap } from './compile-wrapper.ts';"),
    ok('exits/attach.ts', "import { probe } from '../probe/index.ts'; import type { ProbeHandlers } from '../probe/types.ts';"),
    ok('control/agent.ts', "import '../probe/register.ts'; import { trace } from '../exits/index.ts';"),
    ok('cli/main.ts', "import { connect } from '../control/client.ts'; const m = await import('../control/index.ts');"),
    // layers may use Node and packages; a computed import is theirs to make
    ok('probe/loader.ts', "import { createRequire } from 'node:module'; import { Hook } from 'import-in-the-middle';"),
    ok('probe/loader.ts', 'export async function load(spec: string) { return import(spec); }'),
    ok('control/server.ts', "const fs = require('node:fs'); const p = require.resolve('./routes.ts');"),
    // (c) the core's doors, with or without the .ts extension, and the folder itself
    ok('probe/site.ts', "import { HookError } from '../core/index.ts'; import { declare } from '../core/internal.ts';"),
    ok('exits/trace.ts', "import type { AnyHook } from '../core/index.ts';"),
    ok('cli/main.ts', "import { HookError } from '../core/index.js'; import { registry } from '../core';"),
    ok('control/catalogue.ts', "export type { Registry } from '../core/index.ts';"),
    // files outside src/ are not layered: tests reach anywhere
    { code: "import { HookState } from '../../src/core/hook-state.ts';", filename: `${ROOT}/test/core/live.test.ts`, options },
  ],

  invalid: [
    // (a) the core imports no layer ...
    bad('core/hook.ts', "import { probe } from '../probe/index.ts';", 'coreImportsLayer'),
    // the planted type-only import the old regex test let through
    {
      ...bad('core/types.ts', "import type { Observer } from '../exits/index.ts';", 'coreImportsLayer'),
      errors: [{ messageId: 'coreImportsLayer', data: { spec: '../exits/index.ts', target: 'exits' } }],
    },
    bad('core/types.ts', "import { type Observer } from '../exits/index.ts';", 'coreImportsLayer'),
    bad('core/compile/codegen.ts', "import { site } from '../../probe/site.ts';", 'coreImportsLayer'),
    bad('core/index.ts', "export * from '../cli/main.ts';", 'coreImportsLayer'),
    bad('core/index.ts', "export { connect } from '../control/client.ts';", 'coreImportsLayer'),
    bad('core/index.ts', "export type { Observer } from '../exits/index.ts';", 'coreImportsLayer'),
    bad('core/registry.ts', "const m = await import('../probe/index.ts');", 'coreImportsLayer'),
    bad('core/registry.ts', 'const m = await import(`../exits/index.ts`);', 'coreImportsLayer'),
    bad('core/registry.ts', "const m = require('../control/index.ts');", 'coreImportsLayer'),
    bad('core/registry.ts', "type O = import('../exits/index.ts').Observer;", 'coreImportsLayer'),
    bad('core/registry.ts', "import exits = require('../exits/index.ts');", 'coreImportsLayer'),
    // ... no `node:` module and no package, not even for types ...
    bad('core/registry.ts', "import { EventEmitter } from 'node:events';", 'coreImportsPackage'),
    bad('core/registry.ts', "import type { EventEmitter } from 'node:events';", 'coreImportsPackage'),
    bad('core/registry.ts', "import { x } from 'tslib';", 'coreImportsPackage'),
    bad('core/compile/mode.ts', "const fs = require('fs');", 'coreImportsPackage'),
    bad('core/compile/mode.ts', "import vm = require('node:vm');", 'coreImportsPackage'),
    bad('core/hook.ts', "import { x } from '#internal';", 'coreImportsPackage'),
    // ... nothing outside the core, and nothing by a name that cannot be checked
    bad('core/hook.ts', "import pkg from '../../package.json' with { type: 'json' };", 'coreImportsOutside'),
    bad('core/hook.ts', "import { h } from '../../test/core/harness.ts';", 'coreImportsOutside'),
    bad('core/hook.ts', "import { u } from '../util/strings.ts';", 'coreImportsOutside'),
    bad('core/compile/mode.ts', 'export const load = (name: string) => import(name);', 'coreComputed'),
    bad('core/compile/mode.ts', 'export const load = (name: string) => require(name);', 'coreComputed'),

    // (b) no layer imports one above it
    {
      ...bad('probe/site.ts', "import { trace } from '../exits/index.ts';", 'upward'),
      errors: [
        { messageId: 'upward', data: { spec: '../exits/index.ts', from: 'probe', target: 'exits', order: 'core <- probe <- exits <- control <- cli' } },
      ],
    },
    bad('probe/types.ts', "import type { Observer } from '../exits/observer.ts';", 'upward'),
    bad('probe/index.ts', "export * from '../exits/index.ts';", 'upward'),
    bad('probe/loader.ts', "const agent = await import('../control/agent.ts');", 'upward'),
    bad('exits/sinks.ts', "const io = require('../cli/io.ts');", 'upward'),
    bad('exits/spec.ts', "type R = import('../control/protocol.ts').Request;", 'upward'),
    bad('control/routes.ts', "import { parseArgs } from '../cli/args.ts';", 'upward'),

    // (c) layers enter the core through its doors only
    {
      ...bad('probe/site.ts', "import { HookImpl } from '../core/hook.ts';", 'oneDoor'),
      errors: [{ messageId: 'oneDoor', data: { spec: '../core/hook.ts', doors: 'src/core/index.ts or src/core/internal.ts' } }],
    },
    bad('probe/engine.ts', "import type { HookState } from '../core/hook-state.ts';", 'oneDoor'),
    bad('exits/trace.ts', "import { describe } from '../core/validate.js';", 'oneDoor'),
    bad('control/agent.ts', "import { setCodeGeneration } from '../core/compile/mode.ts';", 'oneDoor'),
    bad('control/agent.ts', "import { compile } from '../core/compile/index.ts';", 'oneDoor'),
    bad('cli/main.ts', "const r = await import('../core/registry.ts');", 'oneDoor'),
    bad('cli/main.ts', "export { HookError } from '../core/errors.ts';", 'oneDoor'),

    // a self-reference escapes the check; src/ has no folder outside the order
    bad('probe/site.ts', "import { trace } from 'hookwire/exits';", 'selfReference'),
    bad('core/hook.ts', "import type { Hook } from 'hookwire';", 'selfReference'),
    bad('exits/trace.ts', "import { u } from '../util/strings.ts';", 'unknownTarget'),
    bad('cli/main.ts', "import { h } from '../../test/helpers.ts';", 'outsideSrc'),
    bad('util/strings.ts', 'export const x = 1;', 'unknownLayer'),
    bad('helpers.ts', 'export const x = 1;', 'unknownLayer'),
    // several crossings in one file are each reported
    bad(
      'core/hook.ts',
      "import { a } from '../probe/index.ts';\nimport { b } from 'node:util';\nimport { c } from './stop.ts';",
      'coreImportsLayer',
      'coreImportsPackage',
    ),
  ],
});
