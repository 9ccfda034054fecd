#!/usr/bin/env node
// Transparency on real suites (docs/transparency.md): runs the own test suites of real libraries
// (test/transparency/suites.mjs) plain and with every function of the library probed, compares
// them test by test, and prints one row per suite. Exits 1 on any divergence, unrestored slot,
// probe fault, missed hit or touched runner function. Needs dist/ (npm run build): the preload
// uses hookwire's public entry points.
//
//   node scripts/transparency.mjs [--suite NAME]… [--esm-specs] [--runs N] [--json]
//
// --esm-specs  also probe ES module exports by spec through hookwire/register (a second row for
//              every ES module library)
// --runs N     run each comparison N times; the table shows the median and worst slowdown
// --json       print the rows as JSON (what test/transparency/suites.slow.test.ts reads)
import { fileURLToPath } from 'node:url';
import { compareSuite } from '../test/transparency/harness.mjs';
import { SUITES } from '../test/transparency/suites.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const names = [];
let runs = 1;
let json = false;
let esmSpecs = false;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--suite') names.push(argv[++i]);
  else if (a === '--runs') runs = Number(argv[++i]);
  else if (a === '--json') json = true;
  else if (a === '--esm-specs') esmSpecs = true;
  else {
    console.error(`transparency: unknown argument ${a} (known: --suite NAME, --esm-specs, --runs N, --json)`);
    process.exit(2);
  }
}
if (!Number.isInteger(runs) || runs < 1) {
  console.error('transparency: --runs takes an integer ≥ 1');
  process.exit(2);
}
const unknown = names.filter((n) => !SUITES.some((s) => s.name === n));
if (unknown.length > 0) {
  console.error(`transparency: no suite ${unknown[0]} (known: ${SUITES.map((s) => s.name).join(', ')})`);
  process.exit(2);
}

const chosen = SUITES.filter((s) => names.length === 0 || names.includes(s.name));
const plan = chosen.flatMap((s) =>
  esmSpecs && s.format === 'module'
    ? [
        [s, false],
        [s, true],
      ]
    : [[s, false]],
);
const rows = [];
for (const [suite, bySpec] of plan) {
  const attempts = [];
  for (let r = 0; r < runs; r++) attempts.push(compareSuite(suite, { root, esmSpecs: bySpec }));
  // The last attempt's counts; every attempt's divergences and problems; the slowdown's median and worst.
  const row = { ...attempts[attempts.length - 1] };
  const ratios = attempts.map((a) => a.ratio).sort((a, b) => a - b);
  row.ratios = ratios;
  row.ratioMedian = ratios[Math.floor((ratios.length - 1) / 2)];
  row.ratioWorst = ratios[ratios.length - 1];
  row.divergences = attempts.flatMap((a) => a.divergences);
  row.unrestored = [...new Set(attempts.flatMap((a) => a.unrestored))];
  row.errors = attempts.flatMap((a) => a.errors);
  row.removed = attempts.every((a) => a.removed);
  row.problems = problems(row);
  rows.push(row);
}

if (json) console.log(JSON.stringify(rows));
else printTable(rows);
process.exit(rows.some((r) => r.problems.length > 0) ? 1 : 0);

/** What makes a suite fail: anything but agreement, exact restoration and untouched runner code. */
function problems(row) {
  const p = [];
  if (row.results === 0) p.push('the plain run reported no test');
  if (row.divergences.length > 0) p.push(`${row.divergences.length} divergence(s)`);
  if (row.errors.length > 0) p.push(`preload error: ${row.errors[0]}`);
  if (!row.removed) p.push('a probe could not be removed cleanly');
  if (row.unrestored.length > 0) p.push(`unrestored: ${row.unrestored.join(', ')}`);
  if (row.faults > 0) p.push(`${row.faults} fault(s)`);
  if (row.missed > 0) p.push(`${row.missed} missed hit(s)`);
  if (row.notAttached > 0) p.push(`${row.notAttached} probe(s) not attached (pending) while the suite ran`);
  if (row.assertFailures > 0) p.push(`${row.assertFailures} assert failure(s)`);
  if (row.traceLost > 0) p.push(`${row.traceLost} trace record(s) lost`);
  if (row.runnerCheck.wrapped > 0 || row.runnerCheck.probed > 0) p.push('a runner or test function was probed');
  if (row.functions === 0 || row.hits === 0) p.push('nothing probed or nothing hit');
  // Left out on purpose: builtins, and ES module bindings without --esm-specs; anything else was refused.
  const refused = row.skipped.filter((s) => !/: native or bound function$|: ES module binding \(probed by spec with --esm-specs\)$/.test(s));
  if (refused.length > 0) p.push(`could not probe ${refused.length} slot(s): ${refused.slice(0, 3).join('; ')}`);
  return p;
}

function printTable(rows) {
  const head = [
    'suite',
    'format',
    'runner',
    'tests',
    'results',
    'pass/fail/skip',
    'functions',
    'slots',
    'hits',
    'diverged',
    'restored',
    'plain',
    'probed',
    'slowdown',
  ];
  const body = rows.map((r) => [
    `${r.suite}@${r.version}${r.esmSpecs ? ' (ESM exports by spec)' : ''}`,
    r.format === 'module' ? 'ESM' : 'CJS',
    r.runner,
    String(r.tests),
    String(r.results),
    `${r.plain.pass}/${r.plain.fail}/${r.plain.skip}`,
    String(r.functions),
    String(r.slots),
    String(r.hits),
    String(r.divergences.length),
    r.removed && r.unrestored.length === 0 ? 'all' : 'NO',
    `${(r.plain.ms / 1000).toFixed(2)} s`,
    `${(r.probed.ms / 1000).toFixed(2)} s`,
    runs > 1 ? `${r.ratioMedian.toFixed(2)}× (worst ${r.ratioWorst.toFixed(2)}×)` : `${r.ratio.toFixed(2)}×`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(line(head));
  for (const b of body) console.log(line(b));
  for (const r of rows) {
    for (const p of r.problems) console.log(`${r.suite}: ${p}`);
    for (const d of r.divergences.slice(0, 5)) console.log(`  ${JSON.stringify(d)}`);
  }
  const bad = rows.filter((r) => r.problems.length > 0).length;
  console.log(
    bad === 0
      ? `\ntransparency: ${rows.length} suite run(s) agree test by test, every slot restored (Node ${process.versions.node}, code generation ${process.env.HOOKWIRE_CODEGEN ?? 'on'})`
      : `\ntransparency: ${bad} of ${rows.length} suite run(s) FAILED`,
  );
}
