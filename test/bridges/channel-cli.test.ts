// Channel sites from the command line: hookwire trace and run --hook with dc: and tracing: names.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { root, runCli } from '../control/helpers.ts';

const app = join(root, 'test/bridges/fixtures/http-app.mjs');

test('hookwire trace dc:http.client.request.start -- node app: one line per request, a count in the summary', async () => {
  const r = await runCli(['trace', '--json', 'dc:http.client.request.start', '--', app]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines[0], 'app: done');
  const summary = JSON.parse(lines.at(-1)!);
  const row = summary.sites.find((s: { site: string }) => s.site === 'dc:http.client.request.start');
  assert.equal(row.hits, 3);
  const records = r.stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    records.map((rec) => [rec.site, rec.event, rec.args.message.request['[class]']]),
    Array(3).fill(['dc:http.client.request.start', 'fire', 'ClientRequest']),
  );
});

test('hookwire run --hook with undici and tracing: sites: hits, and latency for the TracingChannel', async () => {
  const r = await runCli(['run', '--json', '--hook', 'dc:undici:request:create', '--hook', 'tracing:app:work=latency', '--', app]);
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  const rows = Object.fromEntries(summary.sites.map((s: { site: string }) => [s.site, s]));
  assert.equal(rows['dc:undici:request:create'].hits, 2);
  assert.equal(rows['tracing:app:work'].hits, 2);
  // The async operation waited 30 ms: the slower of two durations is at least that.
  assert.ok(rows['tracing:app:work'].p99Ms >= 25, JSON.stringify(rows['tracing:app:work']));
});

test('an empty channel name is a usage error before the program starts', async () => {
  for (const [args, pattern] of [
    [['run', '--hook', 'dc:', '--', app], /--hook dc:: dc: needs a channel name/u],
    [['trace', 'tracing:', '--', app], /tracing: needs a channel name/u],
  ] as const) {
    const r = await runCli([...args]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, pattern);
    assert.doesNotMatch(r.stdout, /app: done/u);
  }
});
