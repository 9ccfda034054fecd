// `hookwire ls PID` on a program with worker threads: the HOOK table is the main thread's registry
// and says so, while the ATTACHMENT and THREAD tables count every thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, tempDir, until } from '../control/helpers.ts';
import { hitsOf, startLive, WORK } from './helpers.ts';

test('ls with worker threads: the HOOK table is labelled as the main thread, the attachments add up every thread', async () => {
  using dir = tempDir();
  const program = await startLive(dir.path);
  try {
    // Only the workers call work (the main thread never loads lib.cjs): no hook for it in the main thread.
    assert.equal((await program.request('POST', '/v1/attach', { target: WORK, exit: 'count', name: 'w' })).status, 201);
    assert.equal((await program.request('POST', '/v1/attach', { target: 'node:fs#readFileSync', exit: 'count', name: 'fs' })).status, 201);
    await until(async () => (await hitsOf(program, 'w')).hits > 0, 'hits in the workers');
    const ls = await runCli(['ls', String(program.pid)], { HOOKWIRE_RUNTIME_DIR: dir.path });
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, /^HOOK \(MAIN THREAD\) +KIND +STATE +HITS +FAULTS +EXITS$/mu);
    assert.match(ls.stdout, /^probe:node:fs#readFileSync +probe /mu);
    assert.doesNotMatch(ls.stdout, /^probe:\.\/test\/threads\/fixtures\/lib\.cjs#work /mu);
    assert.match(ls.stdout, /^the main thread's hooks and hits; ATTACHMENT and THREAD count every thread \(workers' own hooks too\)$/mu);
    assert.match(ls.stdout, /^w +count +armed +[1-9]\d* /mu);
  } finally {
    await program.stop();
  }
});
