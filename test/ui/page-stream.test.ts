// The UI server's fan-out (src/cli/ui-stream.ts): a program's event stream is read only while some
// page listens, once however many pages; a page that stops reading loses events (and is told how
// many) instead of the server buffering for it, while a page that reads gets every event.
import assert from 'node:assert/strict';
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { UiAgent } from '../../src/cli/ui-agents.ts';
import type { AgentSet } from '../../src/cli/ui-agents.ts';
import { PageStream } from '../../src/cli/ui-stream.ts';
import type { ControlClient } from '../../src/control/client.ts';
import type { AgentEvent } from '../../src/control/protocol.ts';

/** A program whose event stream the test drives by hand. */
function fakeProgram(pid: number) {
  const listeners = new Set<(e: AgentEvent) => void>();
  let opened = 0;
  const client = {
    events(onEvent: (e: AgentEvent) => void) {
      opened++;
      listeners.add(onEvent);
      return { close: () => listeners.delete(onEvent), done: new Promise<void>(() => undefined) };
    },
  } as unknown as ControlClient;
  const agent: UiAgent = { pid, argv: ['node', 'app.js'], node: 'v20', transport: 'unix', startedAt: 0, client };
  const set = { list: () => [agent], onChange: () => () => undefined } as unknown as AgentSet;
  return {
    set,
    emit: (e: AgentEvent) => listeners.forEach((l) => l(e)),
    get readers() {
      return listeners.size;
    },
    get opened() {
      return opened;
    },
  };
}

function stats(n: number, padding: string): AgentEvent {
  return { event: 'stats', data: { time: n, hooks: [{ name: padding, enabled: true, exits: [] }], attachments: [], dropped: 0 } };
}

/** Opens a page's stream; `read: false` leaves it unread (paused) until `resume()`. */
function openPage(port: number, read: boolean) {
  const chunks: string[] = [];
  let res: IncomingMessage | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/' }, (r) => {
      res = r;
      r.setEncoding('utf8');
      if (read) r.on('data', (c: string) => chunks.push(c));
      else r.pause();
      resolve();
    });
    req.on('error', reject);
    req.end();
  });
  return {
    ready,
    text: () => chunks.join(''),
    resume: () => {
      res!.on('data', (c: string) => chunks.push(c));
      res!.resume();
    },
    close: () => res?.destroy(),
  };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

test('a page that stops reading loses events and is told how many; a reading page gets them all; the program is read once, only while pages listen', async () => {
  const program = fakeProgram(4242);
  const stream = new PageStream(program.set);
  const server = createServer((_req, res) => stream.add(res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  try {
    assert.equal(program.opened, 0, 'no page: the program is not read');
    const fast = openPage(port, true);
    const slow = openPage(port, false);
    await Promise.all([fast.ready, slow.ready]);
    await tick();
    assert.equal(program.opened, 1, 'one upstream for two pages');
    assert.equal(program.readers, 1);

    // 40 MB of stats events, 10 KB each, in small batches so a reading page keeps up.
    const padding = 'x'.repeat(10_000);
    const total = 4000;
    for (let n = 0; n < total; n += 10) {
      for (let k = n; k < n + 10; k++) program.emit(stats(k, padding));
      await tick();
    }
    await tick();
    const count = (text: string) => text.split('event: stats\n').length - 1;
    await until(() => count(fast.text()) === total, 'the reading page to get every event');
    assert.doesNotMatch(fast.text(), /event: dropped/u, 'the reading page lost nothing');

    // The slow page now reads: it got far less than was sent, and a count of what it lost.
    slow.resume();
    // Once what was queued for it has drained, the next event reaches it again.
    let length = -1;
    let still = 0;
    await until(() => {
      still = slow.text().length === length && length > 0 ? still + 1 : 0;
      length = slow.text().length;
      return still >= 4;
    }, 'the slow page to drain what was queued');
    program.emit(stats(total, 'last'));
    await until(() => slow.text().includes('"time":4000'), 'the slow page to get the last event');
    const got = count(slow.text());
    const dropped = [...slow.text().matchAll(/event: dropped\ndata: (\d+)/gu)].map((m) => Number(m[1]));
    assert.ok(got < total / 2, `the slow page got ${got} of ${total + 1}: the rest was not buffered for it`);
    assert.ok(dropped.length > 0, 'the slow page is told what it lost');
    assert.equal(got + dropped.at(-1)!, total + 1, 'every event either arrived or was counted as dropped');

    // The last page leaves: the program is not read any more.
    fast.close();
    slow.close();
    await until(() => program.readers === 0, 'the upstream to close');
    assert.equal(stream.pages, 0);
  } finally {
    stream.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
