// ESLint for hookwire: type-aware rules on the TypeScript program (tsconfig.json), plain rules on
// the JavaScript scripts and examples, the layer order of src/ as a rule (eslint-rules/layers.js),
// and a core that touches no Node global. Formatting is Prettier's job, not ESLint's.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import hookwire from './eslint-rules/layers.js';

/** The layer order, lowest first, and the core's doors; see ARCHITECTURE.md. */
const LAYERS = {
  src: 'src',
  core: 'core',
  layers: ['probe', 'exits', 'control', 'cli'],
  doors: ['index.ts', 'internal.ts', 'errors.ts', 'copy.ts', 'compile/mode.ts', 'kinds.ts', 'suggest.ts', 'validate.ts'],
  packageName: 'hookwire',
};

export default defineConfig(
  globalIgnores(['dist/', 'coverage/', '.hookwire/', 'docs/api/', 'test/transparency/suites/']),
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },

  js.configs.recommended,
  {
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-var': 'error',
      // A `let` declared before the closure that reads it and assigned once later is the clear way
      // to name something that does not exist yet (tests of live change do that).
      'prefer-const': ['error', { destructuring: 'all', ignoreReadBeforeAssign: true }],
      'object-shorthand': ['error', 'properties'],
    },
  },

  // TypeScript: everything in tsconfig.json's program, with type information.
  {
    files: ['**/*.ts', '**/*.cts', 'ui/**/*.tsx'],
    ignores: ['eslint-rules/**'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // verbatimModuleSyntax keeps imports as written: types must say so, inline, and a
      // declaration of only inline types would leave an empty side-effect import behind.
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/consistent-type-exports': ['error', { fixMixedExportsWithInlineTypeSpecifier: true }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      // promises: an unawaited rejection in instrumentation is a crash in someone else's program
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's test()/describe() return promises the runner itself awaits
        { ignoreVoid: true, allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }] },
      ],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/return-await': ['error', 'error-handling-correctness-only'],
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { args: 'after-used', argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      // `interface LatencyOptions extends ClockOptions {}` names an option set for the docs
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
      // Probes exist to take functions off their objects, compare identities and restore them, and
      // intrinsics are captured unbound on purpose (`Function.prototype.toString`, ...), so that a
      // program patching them cannot change what hookwire sees.
      '@typescript-eslint/unbound-method': 'off',
    },
  },

  // Code generation on purpose: the dispatcher and wrapper compilers, the one-time checks whether
  // the runtime allows it (the core's and the portable test runner's), and the benchmark
  // experiments that measure it, and the benchmark trampoline (bench/trampoline.ts).
  {
    files: [
      'src/core/compile/codegen.ts',
      'src/core/compile/mode.ts',
      'src/probe/compile-wrapper.ts',
      'test/portable/entry.ts',
      'bench/experiments/*.ts',
      'bench/trampoline.ts',
    ],
    rules: { '@typescript-eslint/no-implied-eval': 'off' },
  },
  // A probe takes any function: plain, method, class, getter, generator. `Function` is the honest
  // type for that; `(...args) => unknown` would refuse constructors.
  {
    files: ['src/probe/**/*.ts'],
    rules: { '@typescript-eslint/no-unsafe-function-type': 'off' },
  },
  // Tests and benchmarks read JSON from child processes and poke at values on purpose: `any` there
  // is the assertion's business. `await null` yields a tick deliberately; ANSI escapes are matched
  // deliberately; async exits without `await` test the async kinds.
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/await-thenable': 'off',
      '@typescript-eslint/require-await': 'off',
      'no-control-regex': 'off',
    },
  },

  // The page of `hookwire ui` runs in the browser (bundled by esbuild): browser globals.
  {
    files: ['ui/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },

  // JavaScript: scripts, examples, fixtures and this tooling run on Node without type information.
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module', globals: { ...globals.node } },
  },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
  {
    files: ['eslint-rules/**/*.d.ts'],
    extends: [tseslint.configs.recommended],
  },

  // The layer order of src/ (CONVENTIONS 15): the core imports no layer, no layer imports one
  // above it, layers enter the core through its doors.
  {
    files: ['src/**/*.{ts,cts}'],
    plugins: { hookwire },
    rules: { 'hookwire/layers': ['error', LAYERS] },
  },

  // The core runs wherever JavaScript runs: no Node globals (imports are the layer rule's job).
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['process', 'Buffer', 'require', 'module', 'exports', '__dirname', '__filename', 'global', 'setImmediate', 'clearImmediate'].map((name) => ({
          name,
          message: 'The core runs wherever JavaScript runs: no Node globals.',
        })),
      ],
      'no-restricted-properties': [
        'error',
        ...['process', 'Buffer', 'require'].map((property) => ({
          object: 'globalThis',
          property,
          message: 'The core runs wherever JavaScript runs: no Node globals.',
        })),
      ],
    },
  },
);
