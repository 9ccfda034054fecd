/**
 * Import time of a program of 201 ES modules (a main module importing 20 modules that import 9
 * leaves each, every module with a few exports and a live binding), plain and with hookwire's
 * module hooks: `node bench/esm-import.ts [--rounds N] [--node PATH]` (Node >= 22.6 strips the
 * types itself; on Node 20 run it with `node --import tsx`).
 *
 * Each round starts one process per mode, in rotating order; a process reports
 * `performance.now()` when its main module has run (time since the process started, so the
 * preload and its hooks are in it). Reported: per mode the median and worst over rounds, and the
 * ratio to plain measured within each round (median and worst). Modes: `plain`; `register`
 * (`--import hookwire/register`, no spec); `register+spec` (a preload that also names one module
 * by spec, so that one is transformed); `iitm` (import-in-the-middle's loader for every module,
 * what hookwire/register did before; only when the package is installed).
 * This is not a mitata case: what it measures is a process start, so it spawns processes.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { childEnv } from './child-env.ts';
import { scriptOptions } from './script-options.ts';
import { median } from './stats.ts';

const { rounds, nodeBin } = scriptOptions();
const root = fileURLToPath(new URL('..', import.meta.url));
const register = pathToFileURL(join(root, 'dist/probe/register.js')).href;
const probeIndex = pathToFileURL(join(root, 'dist/probe/index.js')).href;

const dir = mkdtempSync(join(tmpdir(), 'hookwire-esm-import-'));
try {
  writeProgram(dir);
  const modes: Record<string, string[]> = {
    plain: [],
    register: ['--import', register],
    'register+spec': ['--import', pathToFileURL(join(dir, 'preload-spec.mjs')).href],
  };
  try {
    const iitm = createRequire(join(root, 'package.json')).resolve('import-in-the-middle/hook.mjs');
    writeFileSync(
      join(dir, 'preload-iitm.mjs'),
      `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(iitm).href)}, import.meta.url, { data: { exclude: [/^node:/] } });\n`,
    );
    modes['iitm'] = ['--import', pathToFileURL(join(dir, 'preload-iitm.mjs')).href];
  } catch {
    // not installed (hookwire no longer depends on it): that mode is left out
  }
  const names = Object.keys(modes);
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const ratios: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    const got: Record<string, number> = {};
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + r) % names.length]!;
      got[name] = importTime(modes[name]!, dir);
      times[name]!.push(got[name]);
    }
    for (const n of names) ratios[n]!.push(got[n]! / got['plain']!);
  }
  const version = spawnSync(nodeBin, ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log(`ES module import time, 201 modules, Node ${version}, ${rounds} rounds (ms since process start when main has run)`);
  console.log('mode            median   worst   ratio median   ratio worst');
  for (const n of names) {
    const t = times[n]!;
    const q = ratios[n]!;
    console.log(
      `${n.padEnd(14)} ${median(t).toFixed(1).padStart(7)} ${Math.max(...t)
        .toFixed(1)
        .padStart(7)} ${median(q).toFixed(2).padStart(14)} ${Math.max(...q)
        .toFixed(2)
        .padStart(13)}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function importTime(args: string[], cwd: string): number {
  const out = spawnSync(nodeBin, [...args, 'main.mjs'], { cwd, env: childEnv(), encoding: 'utf8' });
  const line = /@@import-ms (\S+)/u.exec(out.stdout)?.[1];
  if (out.status !== 0 || line === undefined) throw new Error(`the program failed (${args.join(' ')}):\n${out.stderr}`);
  return Number(line);
}

function writeProgram(at: string): void {
  const body = (id: string): string =>
    [
      `export let count${id} = 0;`,
      `export function bump${id}(n) { count${id} += n; return count${id}; }`,
      `export class Store${id} { constructor() { this.items = new Map(); } put(k, v) { this.items.set(k, v); return this; } }`,
      `export const table${id} = Object.freeze({ id: ${JSON.stringify(id)}, size: ${id.length} });`,
      `export default function make${id}() { return new Store${id}(); }`,
    ].join('\n');
  mkdirSync(join(at, 'lib'));
  const mains: string[] = [];
  for (let a = 0; a < 20; a++) {
    const leaves: string[] = [];
    for (let b = 0; b < 9; b++) {
      const id = `${a}_${b}`;
      writeFileSync(join(at, 'lib', `leaf${id}.mjs`), body(id) + '\n');
      leaves.push(`import make${id}, { bump${id} } from './leaf${id}.mjs';`);
    }
    const calls = Array.from({ length: 9 }, (_, b) => `bump${a}_${b}(1); make${a}_${b}().put(1, 2);`).join(' ');
    writeFileSync(join(at, 'lib', `mid${a}.mjs`), `${leaves.join('\n')}\n${body(`m${a}`)}\nexport function run${a}() { ${calls} }\n`);
    mains.push(`import { run${a} } from './lib/mid${a}.mjs';`);
  }
  const runs = Array.from({ length: 20 }, (_, a) => `run${a}();`).join(' ');
  writeFileSync(join(at, 'main.mjs'), `${mains.join('\n')}\n${runs}\nconsole.log('@@import-ms ' + performance.now());\n`);
  writeFileSync(
    join(at, 'preload-spec.mjs'),
    `import ${JSON.stringify(register)};\nimport { probeSpec } from ${JSON.stringify(probeIndex)};\nprobeSpec(${JSON.stringify(`${join(at, 'lib', 'leaf3_4.mjs')}#bump3_4`)}, { onEnter() {} });\n`,
  );
}
