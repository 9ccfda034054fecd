// A Chrome trace file is valid JSON after every record: a writer killed by SIGKILL at random
// instants while it writes as fast as it can leaves a file that parses (each record is one
// positional write over the closing bracket, chrome-format.ts), or, when the kill lands inside that
// write (Linux keeps the bytes copied so far), one that ends inside its last record, which
// readChromeTrace reads without it. chrome-cut.test.ts cuts a write at every byte.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readChromeTrace } from '../../src/exits/chrome-format.ts';
import { root, tempDir } from '../control/helpers.ts';

const WRITER = join(root, 'test/bridges/fixtures/chrome-writer.mjs');
const KILLS = 12;

async function killWhileWriting(file: string, delayMs: number): Promise<void> {
  const child = spawn(process.execPath, [WRITER, file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the writer ended (${code}) before it was ready`)));
  });
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  child.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');
}

test(`a writer SIGKILLed ${KILLS} times mid-stream leaves a Chrome trace that parses, or is cut only inside its last record`, async (t) => {
  using tmp = tempDir();
  let cut = 0;
  for (let i = 0; i < KILLS; i++) {
    const file = join(tmp.path, `kill-${i}.json`);
    await killWhileWriting(file, 5 + ((i * 37) % 60));
    const text = readFileSync(file, 'utf8');
    let events: { name: string; ph: string }[];
    try {
      const read = readChromeTrace(text);
      events = read.events as { name: string; ph: string }[];
      if (read.cut) cut++;
    } catch (error) {
      assert.fail(`kill ${i}: ${(error as Error).message}; the file ends with ${JSON.stringify(text.slice(-80))}`);
    }
    // The warm-up's records at least, all whole.
    assert.ok(events.filter((e) => e.name === 'kill:write').length >= 100, `kill ${i}: ${events.length} events`);
  }
  t.diagnostic(`${cut} of ${KILLS} files were cut inside their last record`);
});
