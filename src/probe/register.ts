/**
 * `node --import hookwire/register app.js`: installs the module hooks that make CommonJS and ES
 * module exports probe-able by spec (`probeSpec('./lib/db.js#Client.prototype.query')`), including
 * modules loaded after the probe was set. ES modules go through import-in-the-middle's loader
 * (registered with `module.register`, builtins excluded: they are probed through their CommonJS
 * object and `module.syncBuiltinESMExports()`); CommonJS needs no loader: the probe layer
 * watches `require()` per spec (require-watch.ts).
 */
import { register } from 'node:module';
import { REGISTERED } from './loader.ts';

const flags = globalThis as Record<symbol, unknown>;
if (flags[REGISTERED] !== true) {
  register('import-in-the-middle/hook.mjs', import.meta.url, { data: { exclude: [/^node:/] } });
  flags[REGISTERED] = true;
}
