// Files hookwire writes (trace files, HOOKWIRE_TRACE_FILE, assert captures) never follow a link
// planted in a directory others can write to, never append to another user's file there, and
// default to per-user directories.
import assert from 'node:assert/strict';
import { chmodSync, chownSync, closeSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { spawnNode, root } from '../control/helpers.ts';
import { defaultCaptureDir } from '../../src/exits/platform.ts';
import { openOwnFile, writeCaptureFile } from '../../src/exits/sinks.ts';
import { trace } from '../../src/exits/trace.ts';

const asRoot = process.getuid?.() === 0;
const needsRoot = asRoot ? false : 'needs root to chown a file to another user';

/** A world-writable sticky directory like /tmp, with a victim file outside it. */
function sharedDir(t: { after(fn: () => void): void }) {
  const base = mkdtempSync(join(tmpdir(), 'hw-own-'));
  t.after(() => rmSync(base, { recursive: true, force: true }));
  const shared = join(base, 'shared');
  mkdirSync(shared);
  chmodSync(shared, 0o1777);
  const victim = join(base, 'victim');
  writeFileSync(victim, 'precious\n');
  return { base, shared, victim };
}

test('a symbolic link planted in a shared directory is refused with ERR_UNSAFE_FILE; its target is untouched', (t) => {
  const { shared, victim } = sharedDir(t);
  const link = join(shared, 'out.jsonl');
  symlinkSync(victim, link);
  assert.throws(() => trace({ sink: { file: link } }), { code: 'ERR_UNSAFE_FILE', message: /symbolic link/u });
  assert.throws(() => openOwnFile(link, 'trace file'), { code: 'ERR_UNSAFE_FILE' });
  assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
});

test("another user's file in a shared directory is refused, not appended to", { skip: needsRoot }, (t) => {
  const { shared } = sharedDir(t);
  const theirs = join(shared, 'out.jsonl');
  writeFileSync(theirs, 'theirs\n');
  chownSync(theirs, 65534, 65534);
  assert.throws(() => trace({ sink: { file: theirs } }), { code: 'ERR_UNSAFE_FILE', message: /belongs to uid 65534/u });
  assert.equal(readFileSync(theirs, 'utf8'), 'theirs\n');
});

test('a new file in a shared directory is created (0600) and appended to; a link of ours in a private directory is followed', (t) => {
  const { base, shared } = sharedDir(t);
  const file = join(shared, 'new.jsonl');
  trace({ sink: { file } }).close();
  assert.equal(statSync(file).mode & 0o777, 0o600);
  closeSync(openOwnFile(file, 'trace file')); // ours: opened again
  const own = join(base, 'own.jsonl');
  writeFileSync(own, '');
  const privateDir = join(base, 'private');
  mkdirSync(privateDir, { mode: 0o700 });
  symlinkSync(own, join(privateDir, 'link.jsonl'));
  closeSync(openOwnFile(join(privateDir, 'link.jsonl'), 'trace file'));
});

test('HOOKWIRE_TRACE_FILE (what --out sets) refuses a planted link and reports it', async (t) => {
  const { shared, victim } = sharedDir(t);
  const link = join(shared, 'out.jsonl');
  symlinkSync(victim, link);
  const child = spawnNode(['--import', join(root, 'dist/control/agent.js'), '-e', 'require("node:fs").statSync(".")'], {
    HOOKWIRE_TRACE_FILE: link,
    HOOKWIRE_ATTACH: JSON.stringify([{ target: 'node:fs#statSync', exit: 'trace' }]),
    HOOKWIRE_CONTROL: 'off',
  });
  assert.equal(await child.exited, 0);
  assert.match(child.stderr(), /symbolic link/u);
  assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
});

test('assert captures: the default directory is per user; a capture directory of another user is refused', { skip: needsRoot }, (t) => {
  assert.equal(defaultCaptureDir(), join(tmpdir(), `hookwire-captures-${process.getuid!()}`));
  const base = mkdtempSync(join(tmpdir(), 'hw-cap-'));
  t.after(() => rmSync(base, { recursive: true, force: true }));
  const squatted = join(base, 'captures');
  mkdirSync(squatted, { mode: 0o700 });
  chownSync(squatted, 65534, 65534);
  assert.throws(() => writeCaptureFile(squatted, 'app:x', 1, {}), { code: 'ERR_UNSAFE_FILE', message: /belongs to uid 65534/u });
  const link = join(base, 'link');
  symlinkSync(base, link);
  assert.throws(() => writeCaptureFile(link, 'app:x', 1, {}), { code: 'ERR_UNSAFE_FILE', message: /symlink/u });
});
