/**
 * What Node runs in every worker thread of a program under the agent: the agent adds
 * `--require <this file>` to NODE_OPTIONS, and Node runs NODE_OPTIONS preloads in each worker
 * (also one started with its own `execArgv`), nested ones too. `--import` preloads do not run in
 * workers on Node 20, 22 or 24 (test/threads/preload-reach.test.ts): hence a CommonJS file, which
 * loads the thread agent synchronously (`require` of an ES module, Node >= 20.19), before the
 * worker's own code. Elsewhere (the main thread, Node's loader-hooks thread, which has no parent
 * port) it does nothing.
 */
const threads = process.getBuiltinModule('node:worker_threads');
if (!threads.isMainThread && threads.parentPort !== null) {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a preload must load the agent before the worker's code: synchronously
    (require('./thread-agent.js') as { startFromPreload(): void }).startFromPreload();
  } catch (error) {
    process.stderr.write(`hookwire: thread ${threads.threadId}: no agent: ${(error as Error).message}\n`);
  }
}
