// A bounded fuzz pass: hundreds of random requests (seeded, so a failure can be replayed) at the
// agent of the example service while it serves its workload. The agent answers each with a 2xx
// or a 4xx JSON error, never a 5xx; the service never crashes and answers exactly as it does
// without hookwire.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import { example, raw, spawnNode, startService, tempDir, until } from './helpers.ts';
import { drive, type ShopAnswer } from './workload.ts';

const SEED = Number(process.env['HOOKWIRE_FUZZ_SEED'] ?? 20261122);
const REQUESTS = 400;
const ROUNDS = 4;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TARGETS = [
  'shop:request',
  'shop:price',
  'shop:order',
  'shop:nothing',
  'probe:./examples/service/pricing.cjs#quote',
  './examples/service/pricing.cjs#quote',
  './examples/service/pricing.cjs#couponRate',
  './examples/service/catalog.cjs#search',
  './examples/service/catalog.cjs#findProduct',
  './examples/service/orders.mjs#OrderStore.prototype.place',
  './examples/service/orders.mjs#OrderStore.prototype.count',
  './examples/service/nope.js#x',
  'node:path#nothing',
  'node:fs#constants',
  'x#',
  '#',
  '',
  ':',
  'a:b',
  'probe:',
  '\u0000:\u0001',
  'é:ü',
  'a'.repeat(300),
];
const EXITS: unknown[] = [
  'trace',
  'count',
  'latency',
  'assert',
  'nope',
  '',
  3,
  null,
  [],
  {},
  { type: 'trace', every: 3 },
  { type: 'trace', rate: 0.5 },
  { type: 'trace', every: -1 },
  { type: 'trace', sink: { file: '/tmp/hookwire-fuzz-must-not-exist' } },
  { type: 'assert', predicate: { arg: 0, op: 'typeof', value: 'object' } },
  { type: 'assert', predicate: 'while(1){}' },
  { type: 'latency', extra: true },
  { type: 'count', type2: 1 },
  { type: { type: 'trace' } },
];

function generator(rand: () => number) {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const names: string[] = ['count@shop:request'];
  const anyJson = (depth: number): unknown => {
    const r = rand();
    if (depth > 3 || r < 0.3) return pick([0, -1, 1e308, 'x', '', '\u2028', '💥', true, false, null, 'shop:request']);
    if (r < 0.6) return Array.from({ length: Math.floor(rand() * 4) }, () => anyJson(depth + 1));
    const o: Record<string, unknown> = {};
    for (let i = Math.floor(rand() * 4); i > 0; i--)
      o[pick(['target', 'exit', 'name', 'armed', 'type', '__proto__', 'constructor', 'x'])] = anyJson(depth + 1);
    return o;
  };
  const shaped = (): Record<string, unknown> => {
    const o: Record<string, unknown> = {};
    if (rand() < 0.9) o['target'] = pick(TARGETS);
    if (rand() < 0.9) o['exit'] = pick(EXITS);
    if (rand() < 0.5) o['name'] = rand() < 0.5 ? pick(names) : `f${Math.floor(rand() * 50)}`;
    if (rand() < 0.3) o['armed'] = pick([true, false, 'no', 0]);
    if (rand() < 0.2) o['exit'] = pick(['hook', 'count', 'x']);
    if (rand() < 0.1) o[pick(['extra', 'code', 'eval'])] = 'process.exit(1)';
    return o;
  };
  const gen_names = () => names;
  return {
    names,
    next(): { method: string; path: string; body?: string; headers: Record<string, string> } {
      if (rand() < 0.35) {
        // Plausible: the right method and path, a body of about the right shape.
        const path = pick(['/v1/attach', '/v1/attach', '/v1/arm', '/v1/disarm', '/v1/remove']);
        const body = shaped();
        if (path === '/v1/attach' && rand() < 0.6) {
          body['target'] = pick(TARGETS.slice(0, 11));
          body['exit'] = pick(EXITS.slice(0, 3));
        }
        if (path !== '/v1/attach') {
          delete body['target'];
          if (rand() < 0.7) delete body['exit'];
          delete body['armed'];
          if (rand() < 0.8) body['name'] = pick([...gen_names(), 'shop:request', 'shop:price', 'nobody']);
        }
        return { method: 'POST', path, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
      }
      const method = pick(['GET', 'GET', 'POST', 'POST', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH']);
      const path = pick([
        '/v1/agent',
        '/v1/hooks',
        '/v1/attach',
        '/v1/attach',
        '/v1/arm',
        '/v1/disarm',
        '/v1/remove',
        '/v1/remove',
        `/v1/events?interval=${pick(['0', '50', '100', 'x', '1e3', '-5', '100000', ''])}`,
        '/',
        '/v1',
        '/v1/hooks?x=1',
        `/v1/${'a'.repeat(Math.floor(rand() * 200))}`,
        '/v1/attach/../arm',
        '/%ff%fe',
        '/v1/hooks#frag',
      ]);
      const r = rand();
      let body: string | undefined;
      if (r < 0.5) body = JSON.stringify(shaped());
      else if (r < 0.7) body = JSON.stringify(anyJson(0));
      else if (r < 0.8) body = Array.from({ length: Math.floor(rand() * 64) }, () => String.fromCharCode(Math.floor(rand() * 256))).join('');
      else if (r < 0.85) body = JSON.stringify({ target: 'shop:request', exit: 'count', name: 'x'.repeat(70_000) });
      const headers: Record<string, string> = {};
      if (rand() < 0.5) headers['content-type'] = pick(['application/json', 'text/plain', 'application/x-www-form-urlencoded', '']);
      return body === undefined ? { method, path, headers } : { method, path, body, headers };
    },
  };
}

/** Sends one fuzz request; resolves to the status and (up to 300 ms of) the body. */
function fuzzCall(socketPath: string, req: { method: string; path: string; body?: string; headers: Record<string, string> }) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    // A body always goes with its length (a GET's body would otherwise be sent unframed, and the
    // agent would rightly read it as a second, malformed request: raw garbage is sent separately).
    const headers = req.body === undefined ? req.headers : { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) };
    const r = request({ socketPath, method: req.method, path: req.path, headers, agent: false }, (res) => {
      let text = '';
      const done = () => resolve({ status: res.statusCode ?? 0, text });
      const timer = setTimeout(() => {
        res.destroy();
        done();
      }, 300);
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => {
        clearTimeout(timer);
        done();
      });
      res.on('error', () => {});
    });
    r.setTimeout(5000, () => r.destroy(new Error('no answer')));
    r.on('error', reject);
    r.end(req.body);
  });
}

test(`fuzz: ${REQUESTS} random requests (seed ${SEED}) never crash or change the service`, { timeout: 120_000 }, async (t) => {
  const plain = spawnNode([example, '--serve', '--max-seconds', '60']);
  const plainPort = Number(await until(() => /listening http:\/\/127\.0\.0\.1:(\d+)/u.exec(plain.stdout())?.[1], 'the plain service'));
  const expected: ShopAnswer[][] = [];
  for (let r = 0; r < ROUNDS; r++) expected.push(await drive(plainPort));
  plain.proc.stdin!.end();
  await plain.exited;

  using tmp = tempDir();
  const service = await startService(tmp.path, ['--hook', 'shop:request=count']);
  const rand = mulberry32(SEED);
  const gen = generator(rand);
  const statuses = new Map<number, number>();
  const resets: string[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      // A workload round runs while a batch of fuzz requests hits the agent.
      const answers = drive(service.port);
      for (let i = 0; i < REQUESTS / ROUNDS; i++) {
        const req = gen.next();
        let res: { status: number; text: string };
        try {
          res = await fuzzCall(service.socketPath, req);
        } catch (error) {
          // The agent may cut a connection it refuses (oversize body); it must still answer the next one.
          res = { status: -1, text: String(error) };
          resets.push(`${req.method} ${req.path} ${String(req.body?.length)} ${String(error)}`);
        }
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const where = `${req.method} ${req.path} ${req.body?.slice(0, 200)} → ${res.status} ${res.text.slice(0, 300)}`;
        assert.ok(res.status === -1 || (res.status >= 200 && res.status < 500), where);
        if (res.status >= 400 && req.method !== 'HEAD') {
          const body = JSON.parse(res.text);
          assert.match(body.error.code, /^ERR_[A-Z_]+$/u, where);
        }
        if (res.status === 201) gen.names.push(JSON.parse(res.text).attached.name);
        if (i % 25 === 0) {
          const garbage = Array.from({ length: 40 }, () => String.fromCharCode(Math.floor(rand() * 128))).join('');
          const answer = await raw(service.socketPath, `${garbage}\r\n\r\n`, 2000);
          assert.ok(answer === '' || /^HTTP\/1\.1 [4]\d\d/u.test(answer), answer);
        }
      }
      assert.deepEqual(await answers, expected[round], `workload round ${round} answers as without hookwire`);
    }
    t.diagnostic(`statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);
    assert.ok((statuses.get(-1) ?? 0) < REQUESTS / 20, JSON.stringify([[...statuses], resets]));
    assert.ok((statuses.get(201) ?? 0) > 0 && (statuses.get(400) ?? 0) > 0 && (statuses.get(404) ?? 0) > 0, JSON.stringify([...statuses]));
    const { existsSync } = await import('node:fs');
    assert.equal(existsSync('/tmp/hookwire-fuzz-must-not-exist'), false);
  } finally {
    const code = await service.stop();
    assert.equal(code, 0, service.stderr().slice(-2000));
  }
});
