import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkRuntimeDir, ensureRuntimeDir, runtimeDir, socketPath } from '../../src/control/runtime-dir.ts';
import { tempDir } from './helpers.ts';

test('the runtime directory comes from HOOKWIRE_RUNTIME_DIR, then XDG_RUNTIME_DIR, then the temp dir and uid', () => {
  assert.equal(runtimeDir({ HOOKWIRE_RUNTIME_DIR: '/x/y', XDG_RUNTIME_DIR: '/run/user/1' }), '/x/y');
  assert.equal(runtimeDir({ XDG_RUNTIME_DIR: '/run/user/1' }), '/run/user/1/hookwire');
  assert.equal(runtimeDir({}), join(tmpdir(), `hookwire-${process.getuid!()}`));
  assert.equal(socketPath(42, '/d'), '/d/42.sock');
});

test('a missing runtime directory is created with mode 0700', () => {
  using tmp = tempDir();
  const dir = join(tmp.path, 'a', 'hookwire');
  assert.equal(ensureRuntimeDir(dir), dir);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
});

test('a runtime directory open to the group or others is refused, and left as it was', () => {
  using tmp = tempDir();
  for (const mode of [0o755, 0o750, 0o701, 0o777]) {
    const dir = join(tmp.path, `m${mode.toString(8)}`);
    mkdirSync(dir);
    chmodSync(dir, mode);
    assert.throws(() => ensureRuntimeDir(dir), { name: 'HookError', code: 'ERR_INSECURE_DIR' });
    assert.equal(statSync(dir).mode & 0o777, mode, 'the directory is not silently fixed');
  }
});

test('a symbolic link or a file in place of the runtime directory is refused', () => {
  using tmp = tempDir();
  const real = join(tmp.path, 'real');
  mkdirSync(real, { mode: 0o700 });
  const link = join(tmp.path, 'link');
  symlinkSync(real, link);
  assert.throws(() => checkRuntimeDir(link), { code: 'ERR_INSECURE_DIR' });
  const file = join(tmp.path, 'file');
  writeFileSync(file, '');
  assert.throws(() => ensureRuntimeDir(file), { code: 'ERR_INSECURE_DIR' });
});

test('a runtime directory owned by another user is refused', { skip: process.getuid!() !== 0 ? 'needs root to chown' : false }, async () => {
  using tmp = tempDir();
  const dir = join(tmp.path, 'other');
  mkdirSync(dir, { mode: 0o700 });
  const { chownSync } = await import('node:fs');
  chownSync(dir, 65534, 65534);
  assert.throws(() => checkRuntimeDir(dir), { code: 'ERR_INSECURE_DIR', message: /belongs to uid 65534/u });
});
