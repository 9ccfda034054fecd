// Spans still in the OTLP batch when the program ends reach the collector: at process.exit(), at a
// signal the program does not handle (which still ends it by that signal), and at a signal its own
// handler answers; a collector that never answers does not keep the program from ending.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { otlpHeaders } from '../../src/control/otlp.ts';
import { root, runCli, spawnNode, until } from '../control/helpers.ts';

const SPEC = './test/bridges/fixtures/work.cjs';
const APP = join(root, 'test/bridges/fixtures/otlp-end.mjs');
const CLI = join(root, 'dist/cli/main.js');

async function receiver(answer: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end('{}')) {
  const spans: string[] = [];
  const headers: IncomingMessage['headers'][] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      headers.push(req.headers);
      const json = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: { name: string }[] }[] }[] };
      for (const rs of json.resourceSpans) for (const ss of rs.scopeSpans) for (const s of ss.spans) spans.push(s.name);
      answer(req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    spans,
    headers,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(r));
    },
  };
}

const args = (url: string, mode: string) => ['run', '--otlp', url, '--probe', `${SPEC}#step=span`, '--', APP, mode];

test("process.exit(): the batched spans arrive, the exit code is the program's", async () => {
  const r = await receiver();
  try {
    const run = await runCli(args(r.url, 'exit'), { OTEL_EXPORTER_OTLP_HEADERS: 'x-team=bridges,authorization=Bearer%20t' });
    // hookwire run answers 1 for a program that failed, and says how.
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /the program exited with code 3/u);
    assert.deepEqual(r.spans, Array(3).fill(`probe:${SPEC}#step`));
    assert.equal(r.headers[0]?.['x-team'], 'bridges');
    assert.equal(r.headers[0]?.['authorization'], 'Bearer t');
  } finally {
    await r.close();
  }
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`${signal} the program does not handle: the spans arrive, and it still ends by ${signal}`, async () => {
    const r = await receiver();
    try {
      const child = spawnNode([CLI, ...args(r.url, 'signal')]);
      await until(() => child.stdout().includes('otlp-end: ready'), 'the program to start');
      child.proc.kill(signal);
      assert.equal(await child.exited, signal, child.stderr());
      assert.deepEqual(r.spans, Array(3).fill(`probe:${SPEC}#step`));
    } finally {
      await r.close();
    }
  });
}

test('SIGTERM the program handles itself: the spans arrive and its handler decides how it ends', async () => {
  const r = await receiver();
  try {
    const child = spawnNode([CLI, ...args(r.url, 'handler')]);
    await until(() => child.stdout().includes('otlp-end: ready'), 'the program to start');
    child.proc.kill('SIGTERM');
    assert.equal(await child.exited, 1, child.stderr());
    assert.match(child.stderr(), /the program exited with code 7/u);
    assert.deepEqual(r.spans, Array(3).fill(`probe:${SPEC}#step`));
  } finally {
    await r.close();
  }
});

test('a collector that never answers does not keep process.exit() from ending the program', async () => {
  const r = await receiver(() => undefined); // reads the request, never answers
  try {
    const run = await runCli(args(r.url, 'exit'), {}, 30_000);
    assert.match(run.stderr, /the program exited with code 3/u);
    assert.equal(r.spans.length, 3);
  } finally {
    await r.close();
  }
});

test('OTLP headers from the environment: the traces variable first, pairs URL-decoded, malformed ones skipped', () => {
  assert.deepEqual(otlpHeaders({ OTEL_EXPORTER_OTLP_HEADERS: 'a=1, b = x%20y ,bad,=v,c=%E0' }), { a: '1', b: 'x y' });
  assert.deepEqual(otlpHeaders({ OTEL_EXPORTER_OTLP_HEADERS: 'a=1', OTEL_EXPORTER_OTLP_TRACES_HEADERS: 't=2' }), { t: '2' });
  assert.deepEqual(otlpHeaders({}), {});
});
