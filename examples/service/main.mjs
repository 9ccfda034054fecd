#!/usr/bin/env node
// The example service. `node examples/service/main.mjs` starts it on 127.0.0.1 (an ephemeral
// port), drives a fixed workload against itself over loopback, prints what it got, and exits.
// `--serve` keeps it serving instead (it prints "listening <url>" and stops after --max-seconds,
// or when its stdin pipe closes), for tools that drive it from outside.
import { createHash } from 'node:crypto';
import { fstatSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createShop } from './server.mjs';
import { drive } from './workload.mjs';

const { values } = parseArgs({
  options: {
    serve: { type: 'boolean' },
    rounds: { type: 'string', default: '1' },
    'max-seconds': { type: 'string', default: '60' },
  },
});

const dataDir = mkdtempSync(join(tmpdir(), 'hookwire-shop-'));
const server = createShop({ dataDir });
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();

function stop(code = 0) {
  server.close();
  rmSync(dataDir, { recursive: true, force: true });
  process.exitCode = code;
}

if (values.serve) {
  console.log(`listening http://127.0.0.1:${port}`);
  // A safety net: the listening server keeps the process alive until then at the latest.
  const limit = setTimeout(() => stop(0), Number(values['max-seconds']) * 1000);
  // Driven by another program through a pipe: stop when it closes our stdin.
  const stdin = fstatSync(0);
  if (stdin.isFIFO() || stdin.isSocket()) {
    process.stdin.on('end', () => {
      clearTimeout(limit);
      stop(0);
    });
    process.stdin.resume();
  }
} else {
  const answers = await drive(port, Number(values.rounds));
  const digest = createHash('sha256');
  for (const a of answers) digest.update(`${a.method} ${a.path} ${a.status} ${a.body}\n`);
  const byStatus = {};
  for (const a of answers) byStatus[a.status] = (byStatus[a.status] ?? 0) + 1;
  console.log(`shop: ${answers.length} requests, statuses ${JSON.stringify(byStatus)}, answers sha256 ${digest.digest('hex').slice(0, 16)}`);
  stop(0);
}
