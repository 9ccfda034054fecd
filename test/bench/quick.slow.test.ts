// The benchmark suite's smoke run: `bench/run.ts --quick` must run every case and produce finite
// figures. Benchmarks are never timed tests: nothing here looks at how fast anything was.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const root = new URL('../..', import.meta.url).pathname;

interface Results {
  quick: boolean;
  cases: { id: string; file: string; rows: { name: string; value: number; ratio: number }[]; checks: { figure: number }[] }[];
}

test('npm run bench -- --quick runs every case and reports finite numbers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookwire-bench-'));
  try {
    const out = join(dir, 'results.json');
    const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/run.ts', '--quick', '--out', out], {
      cwd: root,
      encoding: 'utf8',
      env: process.env,
      timeout: 120_000,
    });
    assert.equal(run.status, 0, `bench/run.ts --quick failed:\n${run.stdout}\n${run.stderr}`);
    const results = JSON.parse(readFileSync(out, 'utf8')) as Results;
    assert.equal(results.quick, true);

    const files = readdirSync(join(root, 'bench')).filter((f) => f.endsWith('.bench.ts'));
    for (const file of files) {
      assert.ok(
        results.cases.some((c) => c.file === file),
        `no case from bench/${file} ran`,
      );
    }
    const expected = [
      'disarmed',
      'notify-1',
      'notify-3',
      'notify-10',
      'notify-50',
      'gate',
      'waterfall',
      'async-series-3',
      'parallel-3',
      'arm-cycle',
      'register-10k',
      'memory',
      'request-disarmed',
      'request-armed-2',
    ];
    for (const id of expected)
      assert.ok(
        results.cases.some((c) => c.id === id),
        `case ${id} did not run`,
      );

    for (const c of results.cases) {
      assert.ok(c.rows.length > 0, `case ${c.id} has no rows`);
      for (const row of c.rows) {
        assert.ok(Number.isFinite(row.value), `${c.id} / ${row.name}: value ${row.value}`);
        assert.ok(Number.isFinite(row.ratio), `${c.id} / ${row.name}: ratio ${row.ratio}`);
      }
      for (const check of c.checks) assert.ok(Number.isFinite(check.figure), `${c.id}: a check's figure is ${check.figure}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
