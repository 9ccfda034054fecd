// The control protocol on its own: each route's request check (good bodies pass, bad ones are
// ERR_INVALID_ARG), each answer check (real answers pass as they are, malformed ones are
// ERR_INTERNAL naming the field), and the client refusing what a misbehaving agent answers.
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { ControlClient } from '../../src/control/client.ts';
import {
  checkAgentInfo,
  checkArmAnswer,
  checkAttachAnswer,
  checkDisarmAnswer,
  checkEvent,
  checkListing,
  checkRemoveAnswer,
  errorFromAnswer,
  ROUTES,
  type AgentEvent,
  type AttachmentInfo,
} from '../../src/control/protocol.ts';
import { validateArmRequest, validateAttachRequest, validateEventsInterval, validateRemoveRequest } from '../../src/control/requests.ts';
import { startControlServer } from '../../src/control/server.ts';
import { createRegistry, hook } from '../../src/core/index.ts';
import { call, tempDir } from './helpers.ts';

const invalid = { name: 'HookError', code: 'ERR_INVALID_ARG' };
const malformed = (field: RegExp) => ({ name: 'HookError', code: 'ERR_INTERNAL', message: field });

test('attach requests: good bodies pass (a type name becomes a spec), bad ones are ERR_INVALID_ARG', () => {
  assert.deepEqual(validateAttachRequest({ target: 'app:x', exit: 'count' }), { target: 'app:x', exit: { type: 'count' } });
  const full = { target: './lib/db.js#query', exit: { type: 'trace', every: 2 }, name: 'n'.repeat(128), armed: false };
  assert.deepEqual(validateAttachRequest(full), full);
  assert.deepEqual(validateAttachRequest({ target: 't:'.padEnd(1024, 'x'), exit: { type: 'latency' } }).exit, { type: 'latency' });
  for (const body of [
    null,
    [],
    'app:x',
    42,
    { target: 'app:x', exit: 'count', extra: 1 },
    { target: 42, exit: 'count' },
    { target: '', exit: 'count' },
    { target: 'a\u0001:b', exit: 'count' },
    { target: 't:'.padEnd(1025, 'x'), exit: 'count' },
    { target: 'app:x' },
    { target: 'app:x', exit: 7 },
    { target: 'app:x', exit: [] },
    { target: 'app:x', exit: null },
    { target: 'app:x', exit: { every: 2 } },
    { target: 'app:x', exit: { type: 3 } },
    { target: 'app:x', exit: 'count', name: '' },
    { target: 'app:x', exit: 'count', name: 7 },
    { target: 'app:x', exit: 'count', name: 'x'.repeat(129) },
    { target: 'app:x', exit: 'count', name: 'a\nb' },
    { target: 'app:x', exit: 'count', armed: 'yes' },
  ]) {
    assert.throws(() => validateAttachRequest(body), invalid, JSON.stringify(body));
  }
});

test('arm, disarm and remove requests: { name, exit? } and { name }, nothing else', () => {
  assert.deepEqual(validateArmRequest({ name: 'app:x' }), { name: 'app:x' });
  assert.deepEqual(validateArmRequest({ name: 'app:x', exit: 'own' }), { name: 'app:x', exit: 'own' });
  assert.deepEqual(validateRemoveRequest({ name: 'count@app:x' }), { name: 'count@app:x' });
  for (const body of [
    null,
    [],
    'x',
    {},
    { name: 1 },
    { name: '' },
    { name: 'a\u0000' },
    { name: 'a', exit: {} },
    { name: 'a', exit: '' },
    { name: 'a', what: 1 },
  ]) {
    assert.throws(() => validateArmRequest(body), invalid, JSON.stringify(body));
  }
  for (const body of [null, [], {}, { name: null }, { name: 'a', exit: 'b' }, { name: 'x'.repeat(1025) }]) {
    assert.throws(() => validateRemoveRequest(body), invalid, JSON.stringify(body));
  }
});

test('the event stream interval: 1000 by default, whole milliseconds from 100 to 60000', () => {
  assert.equal(validateEventsInterval(new URLSearchParams('')), 1000);
  assert.equal(validateEventsInterval(new URLSearchParams('interval=100')), 100);
  assert.equal(validateEventsInterval(new URLSearchParams('interval=60000')), 60_000);
  for (const q of ['interval=5', 'interval=abc', 'interval=1.5', 'interval=100000', 'interval=', 'interval=-100']) {
    assert.throws(() => validateEventsInterval(new URLSearchParams(q)), invalid, q);
  }
});

test('every answer of a real agent passes its check and is returned as it came', async () => {
  using tmp = tempDir();
  const registry = createRegistry();
  const tick = hook<[n: number]>('app:tick', { registry, args: ['n'] });
  tick.register(() => {}, { name: 'own', armed: true });
  const server = await startControlServer({ registry, dir: tmp.path, info: () => ({ flavour: 'test' }) });
  const where = { socketPath: server.path! };
  try {
    const info: unknown = (await call(where, 'GET', ROUTES.agent)).body;
    assert.equal(checkAgentInfo(info), info);
    assert.equal(checkAgentInfo(info)['flavour'], 'test', 'facts of the info option are kept');
    for (const exit of ['count', 'latency', 'trace', { type: 'assert', predicate: { arg: 0, op: 'typeof', value: 'number' } }]) {
      const a = await call(where, 'POST', ROUTES.attach, { target: 'app:tick', exit });
      assert.equal(a.status, 201, a.text);
      assert.equal(checkAttachAnswer(a.body), a.body);
    }
    tick.fire(1);
    const listing: unknown = (await call(where, 'GET', ROUTES.hooks)).body;
    assert.equal(checkListing(listing), listing);
    assert.deepEqual(
      checkListing(listing).attachments.map((a: AttachmentInfo) => [a.type, a.report?.type, a.stats.hits]),
      [
        ['count', 'count', 1],
        ['latency', 'latency', 1],
        ['trace', 'trace', 1],
        ['assert', 'assert', 1],
      ],
    );
    const armed: unknown = (await call(where, 'POST', ROUTES.arm, { name: 'app:tick' })).body;
    assert.equal(checkArmAnswer(armed), armed);
    const disarmed: unknown = (await call(where, 'POST', ROUTES.disarm, { name: 'app:tick', exit: 'own' })).body;
    assert.equal(checkDisarmAnswer(disarmed), disarmed);
    assert.deepEqual(disarmed, { disarmed: { name: 'app:tick', exits: [{ name: 'own', armed: false }] } });
    const removed: unknown = (await call(where, 'POST', ROUTES.remove, { name: 'count@app:tick' })).body;
    assert.equal(checkRemoveAnswer(removed), removed);
    // A probe's last state says `removed`: the answer is taken after the probe is gone.
    const probe = await call(where, 'POST', ROUTES.attach, { target: 'node:path#basename', exit: 'count', name: 'p' });
    assert.equal(probe.status, 201, probe.text);
    const gone = checkRemoveAnswer((await call(where, 'POST', ROUTES.remove, { name: 'p' })).body);
    assert.equal(gone.removed.status, 'removed');
    assert.equal(gone.removed.kind, 'probe');
  } finally {
    await server.close();
  }
});

test('a malformed answer is ERR_INTERNAL naming the route and the first field that does not fit', () => {
  const info = { pid: 1, ppid: 0, argv: ['node'], cwd: '/', node: 'v20.0.0', startedAt: 0, uptimeMs: 5, transport: 'unix' };
  assert.equal(checkAgentInfo(info), info);
  assert.throws(() => checkAgentInfo({ ...info, pid: '1' }), malformed(/GET \/v1\/agent.*"pid" must be a number, got "1"/u));
  assert.throws(() => checkAgentInfo({ ...info, transport: 'pigeon' }), malformed(/"transport" must be one of unix, tcp, unix\+tcp/u));
  assert.throws(() => checkAgentInfo({ ...info, argv: ['node', 3] }), malformed(/"argv\[1\]" must be a string/u));
  assert.throws(() => checkAgentInfo([]), malformed(/the answer must be a JSON object, got an array/u));

  const attachment: AttachmentInfo = {
    name: 'latency@app:x',
    target: 'app:x',
    kind: 'hook',
    type: 'latency',
    exit: { type: 'latency' },
    status: 'attached',
    armed: true,
    stats: { hits: 1, faults: 0, missed: 0 },
    report: {
      type: 'latency',
      faults: 0,
      sites: {
        'app:x': { hits: 1, faults: 0, errors: 0, count: 0, settled: 0, p50Ms: null, p90Ms: null, p99Ms: null, maxMs: null, minMs: null, meanMs: null },
      },
    },
  };
  const hookSnap = {
    name: 'app:x',
    kind: 'hook',
    enabled: true,
    sealed: false,
    exclusive: false,
    faults: 'isolate',
    args: null,
    exits: [{ name: 'own', order: 'first', armed: true, hits: 1, faults: 0 }],
  };
  const listing = { pid: 1, time: 2, registry: { sealed: false, faults: 0, hooks: [hookSnap] }, attachments: [attachment] };
  assert.equal(checkListing(listing), listing);
  assert.throws(() => checkListing({ ...listing, attachments: undefined }), malformed(/GET \/v1\/hooks.*"attachments" must be an array/u));
  assert.throws(
    () => checkListing({ ...listing, registry: { ...listing.registry, hooks: [{ ...hookSnap, kind: 'nope' }] } }),
    malformed(/"registry\.hooks\[0\]\.kind" must be one of hook, gate/u),
  );
  assert.throws(
    () => checkListing({ ...listing, registry: { ...listing.registry, hooks: [{ ...hookSnap, exits: [{ ...hookSnap.exits[0], order: 'middle' }] }] } }),
    malformed(/"registry\.hooks\[0\]\.exits\[0\]\.order"/u),
  );

  assert.equal(checkAttachAnswer({ attached: attachment }).attached, attachment);
  assert.throws(() => checkAttachAnswer({}), malformed(/POST \/v1\/attach.*"attached" must be a JSON object, got undefined/u));
  assert.throws(
    () => checkAttachAnswer({ attached: { ...attachment, stats: { hits: '1', faults: 0, missed: 0 } } }),
    malformed(/"attached\.stats\.hits" must be a number/u),
  );
  assert.throws(
    () => checkAttachAnswer({ attached: { ...attachment, status: 'lost' } }),
    malformed(/"attached\.status" must be one of attached, pending, removed/u),
  );
  assert.throws(
    () => checkAttachAnswer({ attached: { ...attachment, report: { type: 'latency', faults: 0, sites: { 'app:x': { hits: 1 } } } } }),
    malformed(/"attached\.report\.sites\.app:x\.faults" must be a number/u),
  );
  assert.throws(
    () => checkAttachAnswer({ attached: { ...attachment, report: { type: 'mystery', faults: 0, sites: {} } } }),
    malformed(/"attached\.report\.type" must be one of count, latency, trace, assert/u),
  );

  const result = { name: 'app:x', exits: [{ name: 'own', armed: true }] };
  assert.equal(checkArmAnswer({ armed: result }).armed, result);
  assert.throws(() => checkArmAnswer({ disarmed: result }), malformed(/POST \/v1\/arm.*"armed" must be a JSON object/u));
  assert.equal(checkDisarmAnswer({ disarmed: result }).disarmed, result);
  assert.throws(
    () => checkDisarmAnswer({ disarmed: { name: 'app:x', exits: [{ name: 'own', armed: 'no' }] } }),
    malformed(/"disarmed\.exits\[0\]\.armed" must be true or false/u),
  );
  assert.equal(checkRemoveAnswer({ removed: attachment }).removed, attachment);
  assert.throws(() => checkRemoveAnswer(null), malformed(/POST \/v1\/remove.*the answer must be a JSON object, got null/u));
});

test('events: trace and stats are checked, a failed stats tick is allowed, other events are skipped', () => {
  const record = { time: 1, site: 'app:x', event: 'fire', args: { n: 1 } };
  assert.deepEqual(checkEvent('trace', record), { event: 'trace', data: record });
  assert.throws(() => checkEvent('trace', { ...record, site: 1 }), malformed(/the trace event.*"site" must be a string/u));
  assert.throws(() => checkEvent('trace', { ...record, event: 'jump' }), malformed(/"event" must be one of fire, call/u));
  assert.throws(() => checkEvent('trace', 'text'), malformed(/the answer must be a JSON object/u));
  const tick = { time: 1, hooks: [{ name: 'app:x', enabled: false, exits: [] }], attachments: [], dropped: 0 };
  assert.deepEqual(checkEvent('stats', tick), { event: 'stats', data: tick });
  assert.deepEqual(checkEvent('stats', { error: 'Error: boom', dropped: 2 }), { event: 'stats', data: { error: 'Error: boom', dropped: 2 } });
  assert.throws(() => checkEvent('stats', { ...tick, dropped: undefined }), malformed(/the stats event.*"dropped" must be a number/u));
  assert.equal(checkEvent('message', 'hello'), null);
});

test("error answers become HookErrors with the agent's code and the status; anything else ERR_INTERNAL", () => {
  const error = errorFromAnswer({ error: { code: 'ERR_NOT_FOUND', message: 'no hook named "x"' } }, 404);
  assert.equal(error.name, 'HookError');
  assert.equal(error.code, 'ERR_NOT_FOUND');
  assert.equal(error.message, 'no hook named "x"');
  assert.equal(error.status, 404);
  for (const body of [{}, null, 'oops', { error: 'x' }, { error: { code: 1, message: 2 } }]) {
    const e = errorFromAnswer(body, 502);
    assert.equal(e.code, 'ERR_INTERNAL', JSON.stringify(body));
    assert.equal(e.message, 'the agent answered 502');
    assert.equal(e.status, 502);
  }
});

test('the client rejects malformed answers and events of a misbehaving agent with ERR_INTERNAL', async () => {
  using tmp = tempDir();
  const answers: Record<string, [number, unknown]> = {
    [`GET ${ROUTES.agent}`]: [200, { pid: 'one' }],
    [`GET ${ROUTES.hooks}`]: [200, { pid: 1, time: 2, registry: { sealed: false, faults: 0, hooks: 'none' }, attachments: [] }],
    [`POST ${ROUTES.attach}`]: [201, { attached: null }],
    [`POST ${ROUTES.arm}`]: [200, { armed: { name: 'x' } }],
    [`POST ${ROUTES.disarm}`]: [200, { armed: { name: 'x', exits: [] } }],
    [`POST ${ROUTES.remove}`]: [200, []],
  };
  const fake = createServer((req, res: ServerResponse) => {
    req.resume();
    if (req.url?.startsWith(ROUTES.events)) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': a fake agent\n\n');
      res.write('event: mystery\ndata: {"a":1}\n\n');
      res.write('event: stats\ndata: {"time":1,"hooks":[],"attachments":[],"dropped":0}\n\n');
      res.write('event: trace\ndata: {"time":1,"site":7}\n\n');
      return;
    }
    const [status, body] = answers[`${req.method} ${req.url}`] ?? [404, { error: { code: 'ERR_NOT_FOUND', message: 'no' } }];
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  const path = join(tmp.path, 'fake.sock');
  await new Promise<void>((resolve) => fake.listen(path, resolve));
  try {
    const client = new ControlClient({ path });
    await assert.rejects(client.info(), malformed(/GET \/v1\/agent.*"pid" must be a number/u));
    await assert.rejects(client.list(), malformed(/"registry\.hooks" must be an array/u));
    await assert.rejects(client.attach({ target: 'app:x', exit: 'count' }), malformed(/"attached" must be a JSON object, got null/u));
    await assert.rejects(client.arm({ name: 'x' }), malformed(/"armed\.exits" must be an array/u));
    await assert.rejects(client.disarm({ name: 'x' }), malformed(/"disarmed" must be a JSON object/u));
    await assert.rejects(client.remove({ name: 'x' }), malformed(/POST \/v1\/remove.*got an array/u));
    const seen: AgentEvent[] = [];
    const stream = client.events((e) => seen.push(e));
    await assert.rejects(stream.done, malformed(/the trace event.*"site" must be a string, got 7/u));
    stream.close();
    assert.deepEqual(
      seen.map((e) => e.event),
      ['stats'],
      'the unknown event is skipped, the good one delivered',
    );
  } finally {
    fake.closeAllConnections();
    await new Promise((resolve) => fake.close(resolve));
  }
});
