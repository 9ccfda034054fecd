// End to end: the example service under `hookwire run`; probes attached and removed over the
// control socket while it serves requests; trace records and stats checked; its answers identical
// to the same service run without hookwire.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ControlClient } from '../../src/control/client.ts';
import type { Listing } from '../../src/control/protocol.ts';
import { example, spawnNode, startService, tempDir, until } from './helpers.ts';
import { drive, type ShopAnswer } from './workload.ts';

const QUOTE = './examples/service/pricing.cjs#quote';
const SEARCH = './examples/service/catalog.cjs#search';
const PLACE = './examples/service/orders.mjs#OrderStore.prototype.place';

/** The answers of the service run without hookwire, per round (the service has state: order ids grow). */
async function baseline(rounds: number): Promise<ShopAnswer[][]> {
  const plain = spawnNode([example, '--serve', '--max-seconds', '30']);
  const port = Number(await until(() => /listening http:\/\/127\.0\.0\.1:(\d+)/u.exec(plain.stdout())?.[1], 'the plain service'));
  const out: ShopAnswer[][] = [];
  for (let r = 0; r < rounds; r++) out.push(await drive(port));
  plain.proc.stdin!.end();
  assert.equal(await plain.exited, 0);
  return out;
}

test('probes attached and removed over the socket while the service serves: traced, counted, answers unchanged', { timeout: 60_000 }, async () => {
  const expected = await baseline(5);
  using tmp = tempDir();
  const service = await startService(tmp.path, ['--hook', 'shop:request=count']);
  try {
    const client = new ControlClient({ path: service.socketPath });
    const events: { event: string; data: any }[] = [];
    const stream = client.events((e) => events.push(e), { intervalMs: 200 });

    // Round 1: only the environment's count exit on the service's own hook.
    assert.deepEqual(await drive(service.port), expected[0]);

    // Attach while a second round is in flight: the answers must not change.
    const inFlight = drive(service.port);
    const attached = await Promise.all([
      client.attach({ target: QUOTE, exit: 'latency' }),
      client.attach({ target: PLACE, exit: { type: 'trace' }, name: 'trace-place' }),
      client.attach({ target: SEARCH, exit: 'count' }),
    ]);
    for (const a of attached) assert.equal((a['attached'] as { status: string }).status, 'attached');
    assert.deepEqual(await inFlight, expected[1]);

    // Round 3 with every probe in place: counts are exact.
    const before = await client.list();
    const hitsOf = (listing: Listing, name: string) =>
      (listing['attachments'] as { name: string; stats: { hits: number } }[]).find((a) => a.name === name)!.stats.hits;
    const q0 = hitsOf(before, `latency@${QUOTE}`);
    const s0 = hitsOf(before, `count@${SEARCH}`);
    const p0 = hitsOf(before, 'trace-place');
    assert.deepEqual(await drive(service.port), expected[2]);
    const after = await client.list();
    assert.equal(hitsOf(after, `latency@${QUOTE}`) - q0, 8, 'quote: 3 quotes and 5 orders');
    assert.equal(hitsOf(after, `count@${SEARCH}`) - s0, 4, 'search: 4 product listings');
    assert.equal(hitsOf(after, 'trace-place') - p0, 4, 'place: 4 valid orders');
    const latency = (after['attachments'] as { name: string; report: { sites: Record<string, { p50Ms: number; p99Ms: number }> } }[]).find(
      (a) => a.name === `latency@${QUOTE}`,
    )!.report.sites[`probe:${QUOTE}`]!;
    assert.ok(latency.p50Ms >= 0 && latency.p99Ms >= latency.p50Ms, JSON.stringify(latency));

    // The trace records of place arrived on the event stream, with the order as argument.
    const traces = await until(() => {
      const t = events.filter((e) => e.event === 'trace' && e.data.site === `probe:${PLACE}`);
      return t.length >= hitsOf(after, 'trace-place') ? t : undefined;
    }, 'trace records of place');
    const last = traces.at(-1)!.data;
    assert.equal(last.event, 'call');
    assert.equal(last.async, true);
    assert.equal(typeof last.durationMs, 'number');
    assert.match(JSON.stringify(last.args), /"product":"p8"/u);
    assert.match(JSON.stringify(last.result), /"id":"o\d{4}"/u);
    assert.ok(
      events.some((e) => e.event === 'stats'),
      'stats ticks on the stream',
    );

    // Remove the probes while a round is in flight; then nothing counts any more.
    const again = drive(service.port);
    for (const name of [`latency@${QUOTE}`, 'trace-place', `count@${SEARCH}`]) {
      const r = await client.remove({ name });
      assert.equal((r['removed'] as { name: string }).name, name);
    }
    assert.deepEqual(await again, expected[3]);
    const removed = await client.list();
    assert.deepEqual(
      (removed['attachments'] as { name: string }[]).map((a) => a.name),
      ['count@shop:request'],
    );
    const probeHooks = (removed['registry'] as { hooks: { name: string; exits: unknown[] }[] }).hooks.filter((h) => h.name.startsWith('probe:'));
    assert.ok(
      probeHooks.every((h) => h.exits.length === 0),
      'no probe is left on any function',
    );
    assert.deepEqual(await drive(service.port), expected[4]);
    stream.close();
  } finally {
    const code = await service.stop();
    assert.equal(code, 0, service.stderr());
  }
  // The summary of `hookwire run`: the environment's attachment on the service's hook.
  assert.match(service.stderr(), /SITE\s+HITS\s+P50\s+P99\s+FAULTS\s+MISSED/u);
  const row = /shop:request\s+(\d+)/u.exec(service.stderr());
  assert.ok(row, service.stderr());
  assert.equal(Number(row[1]), 5 * 20, 'five rounds of 20 requests');
});

test('the traced service exits by itself with the same answers as without hookwire', { timeout: 60_000 }, async () => {
  const plain = spawnNode([example]);
  assert.equal(await plain.exited, 0);
  const { runCli } = await import('./helpers.ts');
  const traced = await runCli(['run', '--probe', `${QUOTE}=trace,latency`, '--probe', PLACE, '--hook', 'shop:request', '--', example]);
  assert.equal(traced.code, 0, traced.stderr);
  assert.equal(traced.stdout, plain.stdout(), 'the program prints the same answers digest');
  assert.match(plain.stdout(), /shop: 20 requests, statuses \{"200":12,"201":4,"400":2,"404":2\}/u);
  assert.match(traced.stderr, /probe:\.\/examples\/service\/pricing\.cjs#quote \(\{"id":"p2"/u);
  assert.match(traced.stderr, /threw RangeError: unknown coupon BOGUS/u);
  assert.match(traced.stderr, /probe:\.\/examples\/service\/pricing\.cjs#quote\s+8\s/u);
  assert.match(traced.stderr, /probe:\.\/examples\/service\/orders\.mjs#OrderStore\.prototype\.place\s+4\s/u);
  assert.match(traced.stderr, /shop:request\s+20\s/u);
});
