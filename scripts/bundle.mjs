// The second half of `npm run build`: tsc has compiled src/ to dist/, one ES module per source
// file; this bundles them with Rollup into the entry points and a few shared chunks (issue 8: on
// Node 20 each ES module costs the loader its own resolve, read, compile and link; the agent's
// start loaded 23 of hookwire's files, an in-process `hookwire run` ~100; now 3 and 15).
//
// - Entry points stay at their paths: the package's exports, the files hookwire loads by path
//   (the CLI, the ES module hooks, the thread agent the thread preload requires, the attach target,
//   the spec checker), and the breakpoint session, whose state the tests' fixtures read.
//   Everything else moves into dist/chunks/ and its own file is removed, so a stale path fails
//   loudly instead of loading a second copy.
// - Each module is in exactly one file, so a process has one instance of each (the program's
//   hooks and the agent's registry are the same objects). dist/chunks/modules.json says which.
// - Chunks follow what loads together (GROUPS below); the rest splits at dynamic imports, so what
//   hookwire loads on demand still loads on demand.
// - Code that finds hookwire's own files does it relative to dist/ (probe/own-files.ts), which
//   holds wherever the code lands. Declarations (.d.ts) and the CommonJS preloads stay as tsc
//   wrote them; the bundled files have no source maps (tsc's maps named the files removed here).
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');

/** Files hookwire loads by path at run time, beside the package's exports. */
const LOADED_BY_PATH = ['cli/main', 'cli/spec-check', 'probe/esm-hooks', 'control/threads/thread-agent', 'control/on-demand'];
/** Modules the tests' fixtures import by path to read their state (the breakpoint session's). */
const READ_BY_TESTS = ['probe/breakpoint-session'];

function entries() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const exported = Object.values(pkg.exports)
    .map((target) => (typeof target === 'string' ? target : target.default))
    .filter((path) => path.startsWith('./dist/') && path.endsWith('.js'))
    .map((path) => path.slice('./dist/'.length, -'.js'.length));
  return Object.fromEntries([...new Set([...exported, ...LOADED_BY_PATH, ...READ_BY_TESTS])].map((name) => [name, join(dist, `${name}.js`)]));
}

function jsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'ui' ? [] : jsFiles(path);
    return name.endsWith('.js') || name.endsWith('.js.map') ? [path] : [];
  });
}

const input = entries();
const core = join(dist, 'core') + sep;

/** What `entry` imports statically, itself excluded, through the whole graph. */
function staticGraph(entry, getModuleInfo) {
  const seen = new Set();
  const walk = (id) => {
    for (const next of getModuleInfo(id)?.importedIds ?? []) {
      if (seen.has(next) || !next.startsWith(dist)) continue;
      seen.add(next);
      walk(next);
    }
  };
  walk(entry);
  return seen;
}

/**
 * Chunks of what loads together, each the static graph of its modules (less the core and the
 * groups before it), in the order a process loads them: the agent's start (every process with the
 * agent), its control server (20 ms later), what its first attachment and the CLI's `run` share,
 * the rest of each.
 * A module goes to the first group that needs it: a group's static graph is closed, so its chunk
 * imports only the core and earlier groups' chunks, which a process has loaded by then. The rest
 * splits where Rollup splits it, at dynamic imports.
 */
const GROUPS = [
  // With the marks on the server's own requests, which the server and the first attachment share
  // (786 bytes: a file of their own cost each of them a load).
  ['agent-start', ['control/agent.js', 'control/own-messages.js']],
  // The protocol's routes, shapes and answer checks: the server's and every CLI command's that
  // talks to an agent (`hookwire ls` need not load the specs, the core or the run command).
  ['wire', ['control/protocol.js']],
  ['agent-serve', ['control/server.js']],
  // What the first attachment and the run command both need (the spec parsers, the probe
  // loader): apart, so that neither loads the other's code.
  ['specs', { both: ['agent-attach', 'run-command'] }],
  ['agent-attach', ['control/attachments.js', 'control/catalogue-on-demand.js']],
  // The one colour decision, alone: the CLI's tables take it without the trace formats and the
  // spec check (and all they load); trace exits and the agent's trace output take it too.
  ['color', ['exits/color.js']],
  // What the program's process and the CLI's `run` both use beyond the specs: the trace formats
  // (trace exits, the agent's trace output) and the spec check (the agent's preflight for a run in
  // a child process). Apart, so that none of them loads the run command into the program;
  // together, so that `run` loads one file more for them, not two.
  ['cli-shared', ['exits/chrome-format.js', 'control/processes/chrome-parts.js', 'control/check-spec.js']],
  // What every CLI command loads: its argument parser, its streams and its tables.
  ['cli-base', ['cli/args.js', 'cli/io.js', 'cli/output.js']],
  ['run-command', ['cli/run.js']],
];
/** The groups that load without the core: the core modules they need (its small doors) go to core-doors. */
const CORELESS = ['agent-start', 'wire', 'cli-base'];
let groups;

/** Each group's modules: the static graph of its own, or what two groups' graphs share. */
function groupGraphs(getModuleInfo) {
  // An entry point keeps its own code in its own file (the agent's top level starts the agent).
  const entries = new Set(Object.values(input));
  const graphOf = (from) =>
    new Set(from.flatMap((m) => [...(entries.has(join(dist, m)) ? [] : [join(dist, m)]), ...staticGraph(join(dist, m), getModuleInfo)]));
  const own = new Map(GROUPS.filter(([, from]) => Array.isArray(from)).map(([name, from]) => [name, graphOf(from)]));
  return GROUPS.map(([name, from]) => {
    if (Array.isArray(from)) return [name, own.get(name)];
    const [a, b] = from.both.map((other) => own.get(other));
    return [name, new Set([...a].filter((id) => b.has(id)))];
  });
}

/**
 * `code` with every non-ASCII character written as its `\u` escape. Node decodes an all-ASCII
 * file on a fast path, and V8 keeps its text one byte a character; a single '…' in a comment made
 * a whole chunk decode several times slower and take two bytes a character (issue 8, start-up).
 * The escape means the same character in strings, templates, regular expressions and identifiers,
 * and is inert in comments. Refused where it would not be: after a backslash, or outside the BMP
 * (`\u{…}` is no escape in a regular expression without the `u` flag).
 */
function ascii(code, fileName) {
  return code.replace(/\\?[^\p{ASCII}]/gu, (c) => {
    if (c.startsWith('\\') || c.length > 1) throw new Error(`bundle: ${fileName} has ${JSON.stringify(c)}, which cannot be escaped as it is`);
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

const bundle = await rollup({
  input,
  // Node's built-ins and the npm dependencies stay imports.
  external: (id) => id.startsWith('node:') || !(id.startsWith('.') || id.startsWith('/')),
  preserveEntrySignatures: 'strict',
  onwarn(warning, warn) {
    // Known and harmless: tsc's helper for a computed `import()` reads a top-level `this` (undefined
    // in an ES module, as Rollup writes it), and core/exit.ts and core/transaction.ts import each
    // other (as they do unbundled: same order of evaluation).
    if (warning.code === 'THIS_IS_UNDEFINED' || warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'SOURCEMAP_ERROR') return;
    warn(warning);
    process.exitCode = 1;
  },
});
const { output } = await bundle.generate({
  dir: dist,
  format: 'es',
  entryFileNames: '[name].js',
  chunkFileNames: 'chunks/[name]-[hash].js',
  manualChunks(id, { getModuleInfo }) {
    groups ??= groupGraphs(getModuleInfo);
    // The core apart (the program may import it alone): the small doors the agent's start and the
    // CLI take without the rest of it in a chunk of their own.
    if (id.startsWith(core)) return groups.some(([name, members]) => CORELESS.includes(name) && members.has(id)) ? 'core-doors' : 'core';
    // The first group that statically needs the module, in the order a process loads them.
    return groups.find(([, members]) => members.has(id))?.[0];
  },
});
await bundle.close();
if (process.exitCode) throw new Error('bundle: Rollup warned (above); dist/ left as tsc wrote it');

// Replace tsc's modules (and their maps) with the bundle's files.
for (const file of jsFiles(dist)) rmSync(file);
rmSync(join(dist, 'chunks'), { recursive: true, force: true });
for (const file of output) {
  const path = join(dist, file.fileName);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, file.type === 'chunk' ? ascii(file.code, file.fileName) : file.source);
}
// Which of tsc's modules each file holds (tests check what a process loaded by module).
const modules = Object.fromEntries(
  output
    .filter((f) => f.type === 'chunk')
    .map((f) => [f.fileName, f.moduleIds.filter((id) => id.startsWith(dist)).map((id) => relative(dist, id).split(sep).join('/'))]),
);
writeFileSync(join(dist, 'chunks', 'modules.json'), `${JSON.stringify(modules, null, 1)}\n`);
const chunks = output.filter((f) => f.type === 'chunk' && !f.isEntry).length;
console.log(`bundle: ${Object.keys(input).length} entry points and ${chunks} chunks in ${relative(root, dist)}/`);
