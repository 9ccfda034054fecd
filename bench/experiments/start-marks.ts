/**
 * Experiment (not a case; run with `node --import tsx bench/experiments/start-marks.ts`): where the
 * time of `hookwire run --probe semver#valid=count -- node` goes, step by step, as a clock inside
 * the process reads it (issue 8's start-up bar). bench/startup.ts times whole processes; this
 * times the steps between them: the CLI's modules, its spec check, the agent's start, loading the
 * attachment's code, preparing and attaching the probe, then the program's own requires.
 *
 * It copies dist/ to a temporary directory and writes a timing mark (`performance.now()`, from
 * the process's start) at each step of the copy's code, found by text the build keeps; a step
 * whose text is gone fails the run (rename it here with the code). The program is the start-up
 * bench's, with a mark after each of its requires. Each mode runs in fresh processes, the modes
 * in rotating order; it prints the median time of each step (from the mark before it) over the
 * rounds. Nothing in dist/ itself changes.
 *
 *   node --import tsx bench/experiments/start-marks.ts [--rounds N] [--node PATH] [--hookwire DIR]
 *
 * --hookwire DIR marks another build: DIR holds its dist/ and package.json (as for bench/startup.ts
 * --compare).
 *
 * What it showed (2026-12-02, Node 20.20, two runs of 15 and 21 rounds, a busy machine; ms):
 * plain node reaches the program's first line at 54-57; `run --probe` reaches its CLI's first line
 * 24-28 later (Node's ES module loader, the agent's start chunk and its built-ins), then loads the
 * run command's modules (29-30), parses and plans (6.5), checks the spec in-process (25-26: it
 * loads semver, so the program's own require of it takes 0.6 against 12-18), and starts the agent
 * (8), loads the attachment's code and the thread fleet (12), prepares (3) and attaches (9) the
 * probe. The program's express then loads 20-40 faster than in plain node: the require machinery
 * and the built-ins it shares with hookwire are warm by then. The same machine read single steps
 * 10-20 ms apart from one run to the next: compare steps within a run.
 * After the CLI's own chunks (2026-12-02, later; 11 rounds each, the build before with `--hookwire`):
 * the CLI's first line 56 against 66, the run command 35 against 25, the agent's start 14 against 7,
 * the attachment's code 4 against 10 (the agent's start chunk now loads with the agent, not with
 * the CLI's entry); the sums 268 and 264 ms, plain 210 and 209.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv } from '../child-env.ts';
import { scriptOptions } from '../script-options.ts';
import { median } from '../stats.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { option, rounds, nodeBin } = scriptOptions();
const hookwire = option('--hookwire') ?? root;

/** A statement that records `label` at this point of the process. */
const mark = (label: string): string => `(globalThis.__marks ??= []).push([${JSON.stringify(label)}, performance.now()]);`;

/** Each step's mark: in which built file, before or after which text. */
const STEPS: Array<{ file: RegExp; text: string; label: string; where: 'before' | 'after' | 'after the line' }> = [
  // The body's first line (a build before 2026-12-02's CLI chunks imported the core's doors above it).
  {
    file: /^cli\/main\.js$/,
    text: "const { readFileSync, realpathSync } = process.getBuiltinModule('node:fs');",
    label: "CLI's first line",
    where: 'after the line',
  },
  { file: /^chunks\/run-command-/, text: 'async run(argv, io) {', label: 'run command loaded', where: 'after' },
  { file: /^chunks\/run-command-/, text: 'async function runHere(plan) {', label: 'CLI parsed, checked, planned', where: 'after' },
  {
    file: /^chunks\/run-command-/,
    text: 'await import(__rewriteRelativeImportExtension(plan.agent));',
    label: 'spec check (loads semver)',
    where: 'before',
  },
  { file: /^control\/agent\.js$/, text: 'const [{ registry }, { Attachments }', label: "agent's start, to its first load", where: 'before' },
  { file: /^control\/agent\.js$/, text: '        loaded = {', label: 'attachment code and fleet loaded', where: 'before' },
  { file: /^control\/agent\.js$/, text: '        return loaded;', label: 'probe prepared', where: 'before' },
  { file: /^chunks\/run-command-/, text: 'process.nextTick(() => runMain());', label: 'agent started, probe attached', where: 'before' },
];

const work = mkdtempSync(join(tmpdir(), 'hookwire-start-marks-'));
try {
  const pkg = join(work, 'pkg');
  cpSync(join(hookwire, 'dist'), join(pkg, 'dist'), { recursive: true });
  cpSync(join(hookwire, 'package.json'), join(pkg, 'package.json'));
  symlinkSync(join(root, 'node_modules'), join(pkg, 'node_modules'), 'dir');
  const files = readdirSync(join(pkg, 'dist'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
  for (const step of STEPS) {
    const matches = files.filter((f) => step.file.test(f));
    const file = matches.find((f) => readFileSync(join(pkg, 'dist', f), 'utf8').includes(step.text));
    if (matches.length === 0 || file === undefined) throw new Error(`start-marks: "${step.text}" is no longer in ${step.file}: update STEPS`);
    const path = join(pkg, 'dist', file);
    const code = readFileSync(path, 'utf8');
    const at = code.indexOf(step.text);
    if (code.indexOf(step.text, at + 1) !== -1) throw new Error(`start-marks: "${step.text}" is in ${file} more than once: update STEPS`);
    let patched: string;
    if (step.where === 'after the line') {
      const end = code.indexOf('\n', at) + 1;
      patched = code.slice(0, end) + mark(step.label) + '\n' + code.slice(end);
    } else if (step.where === 'before') patched = code.slice(0, at) + mark(step.label) + code.slice(at);
    else patched = code.slice(0, at + step.text.length) + mark(step.label) + code.slice(at + step.text.length);
    writeFileSync(path, patched);
  }

  // The start-up bench's program with a mark after each require, and the marks written at exit.
  const program = join(pkg, 'program.cjs'); // beside node_modules
  writeFileSync(
    program,
    [
      `process.on('exit', () => process._rawDebug('MARKS ' + JSON.stringify(globalThis.__marks)));`,
      mark("program's first line"),
      "const express = require('express');",
      mark('program: express'),
      "const _ = require('lodash');",
      mark('program: lodash'),
      "const semver = require('semver');",
      mark('program: semver'),
      "express().get('/', (_req, res) => res.end('ok'));",
      "if (!semver.valid('1.2.3') || _.chunk([1, 2, 3], 2).length !== 2) process.exitCode = 1;",
      mark("program's last line"),
    ].join('\n'),
  );
  const cli = join(pkg, 'dist/cli/main.js');
  const modes: Array<[string, string[]]> = [
    ['plain', [program]],
    ['run --probe', [cli, 'run', '--probe', 'semver#valid=count', '--', nodeBin, program]],
    ['run, no probe', [cli, 'run', '--', nodeBin, program]],
  ];
  const steps = new Map<string, Map<string, number[]>>(modes.map(([name]) => [name, new Map()]));
  const env = childEnv();
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < modes.length; i++) {
      const [name, args] = modes[(round + i) % modes.length]!;
      const child = spawnSync(nodeBin, args, { cwd: root, env, encoding: 'utf8' });
      const line = child.stderr.split('\n').find((l) => l.startsWith('MARKS '));
      if (child.status !== 0 || line === undefined) throw new Error(`${name}: exit ${child.status}\n${child.stderr}`);
      const marks = JSON.parse(line.slice('MARKS '.length)) as Array<[string, number]>;
      let before = 0;
      for (const [label, at] of marks) {
        const list = steps.get(name)!.get(label) ?? [];
        list.push(at - before);
        steps.get(name)!.set(label, list);
        before = at;
      }
    }
  }
  const version = spawnSync(nodeBin, ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log(`Steps of a start, median ms from the mark before (the first from the process's start), node ${version}, ${rounds} rounds`);
  for (const [name, byLabel] of steps) {
    console.log(`\n${name}`);
    let total = 0;
    for (const [label, times] of byLabel) {
      const m = median(times);
      total += m;
      console.log(`  ${label.padEnd(36)} ${m.toFixed(1).padStart(7)}`);
    }
    console.log(`  ${'(sum of the medians)'.padEnd(36)} ${total.toFixed(1).padStart(7)}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
