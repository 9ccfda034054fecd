// The real libraries whose own test suites the transparency harness runs twice, plain and with
// every function of the library probed (docs/transparency.md). One entry per suite: where its tests
// come from, how its runner is started, which of the library's modules the preload probes, and
// which modules belong to the runner (the preload proves it left them alone).
//
// Paths are relative to the repository root, which is the working directory of every run.

/**
 * @typedef {object} Suite
 * @property {string} name          the library, as npm names it
 * @property {string} version       the installed version (package.json pins it exactly)
 * @property {'commonjs' | 'module'} format   how the library is loaded
 * @property {'tape' | 'mocha' | 'node:test'} runner
 * @property {string} tests         where the test files come from
 * @property {string[]} files       the test files, run in this order
 * @property {string[]} modules     the library's own modules the preload loads and probes, dependencies first (specifiers resolved from the root)
 * @property {string[]} runnerModules  modules of the runner and its assertion library that must stay untouched
 */

/** @type {Suite[]} */
export const SUITES = [
  {
    name: 'qs',
    version: '6.15.3',
    format: 'commonjs',
    runner: 'tape',
    tests: 'shipped in the npm package (node_modules/qs/test)',
    files: ['parse.js', 'stringify.js', 'utils.js'].map((f) => `node_modules/qs/test/${f}`),
    modules: ['qs/lib/formats.js', 'qs/lib/utils.js', 'qs/lib/parse.js', 'qs/lib/stringify.js', 'qs'],
    runnerModules: ['tape', 'node:assert'],
  },
  {
    name: 'minimist',
    version: '1.2.8',
    format: 'commonjs',
    runner: 'tape',
    tests: 'shipped in the npm package (node_modules/minimist/test)',
    files: [
      'all_bool.js',
      'bool.js',
      'dash.js',
      'default_bool.js',
      'dotted.js',
      'kv_short.js',
      'long.js',
      'num.js',
      'parse.js',
      'parse_modified.js',
      'proto.js',
      'short.js',
      'stop_early.js',
      'unknown.js',
      'whitespace.js',
    ].map((f) => `node_modules/minimist/test/${f}`),
    modules: ['minimist'],
    runnerModules: ['tape', 'node:assert'],
  },
  {
    name: 'punycode',
    version: '2.3.1',
    format: 'commonjs',
    runner: 'mocha',
    tests: 'vendored from github.com/mathiasbynens/punycode.js v2.3.1 (test/transparency/suites/punycode)',
    files: ['test/transparency/suites/punycode/tests/tests.js'],
    // 'punycode/' and not 'punycode': the bare name is Node's own deprecated builtin.
    modules: ['punycode/'],
    runnerModules: ['mocha', 'node:assert'],
  },
  {
    name: 'js-yaml',
    version: '4.1.1',
    format: 'commonjs',
    runner: 'mocha',
    tests: 'vendored from github.com/nodeca/js-yaml 4.1.1 (test/transparency/suites/js-yaml)',
    // test/25-dumper-fuzzy.js is left out: it needs fast-check 2 and draws random inputs.
    files: ['00-units.js', '10-loader.js', '11-load-errors.js', '20-dumper.js', '30-issues.js'].map((f) => `test/transparency/suites/js-yaml/test/${f}`),
    // Installed under the alias js-yaml-4.1.1, whose package.json exports only the entry point:
    // its files are named by path.
    modules: [
      'common',
      'exception',
      'snippet',
      'type',
      'schema',
      'type/str',
      'type/seq',
      'type/map',
      'schema/failsafe',
      'type/null',
      'type/bool',
      'type/int',
      'type/float',
      'schema/json',
      'schema/core',
      'type/timestamp',
      'type/merge',
      'type/binary',
      'type/omap',
      'type/pairs',
      'type/set',
      'schema/default',
      'loader',
      'dumper',
    ]
      .map((m) => `./node_modules/js-yaml-4.1.1/lib/${m}.js`)
      .concat('js-yaml-4.1.1'),
    runnerModules: ['mocha', 'node:assert'],
  },
  {
    name: 'marked',
    version: '18.0.9',
    format: 'module',
    runner: 'node:test',
    tests: 'vendored from github.com/markedjs/marked v18.0.9 (test/transparency/suites/marked)',
    files: ['Hooks.test.js', 'Lexer.test.js', 'instance.test.js', 'marked.test.js'].map((f) => `test/transparency/suites/marked/test/unit/${f}`),
    modules: ['marked'],
    runnerModules: ['node:test', 'node:assert'],
  },
];
