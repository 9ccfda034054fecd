// hookwire never observes itself: the agent's runtime directory, control server, summary and trace
// output never show up in the counts of the program's probes. 7 calls are 7 hits.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, runCli, spawnNode, tempDir, until } from '../control/helpers.ts';

interface Site {
  site: string;
  hits: number;
  missed: number;
}

/** `hookwire run --json --probe …` of `node -e code`; the sites of the summary by name. */
async function run(probes: string[], code: string, extra: string[] = [], env: Record<string, string> = {}): Promise<Record<string, Site>> {
  const r = await runCli(['run', '--json', ...probes.flatMap((p) => ['--probe', p]), ...extra, '--', 'node', '-e', code], env);
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout.trim().split('\n').pop()!) as { sites: Site[] };
  return Object.fromEntries(summary.sites.map((s) => [s.site, s]));
}

test('node:path#join: 7 calls by the program are 7 hits (the runtime directory and summary paths are not counted)', async () => {
  using tmp = tempDir();
  const sites = await run(['node:path#join=count'], "const p=require('path'); for(let i=0;i<7;i++) p.join('a','b')", [], {
    HOOKWIRE_RUNTIME_DIR: join(tmp.path, 'rt'),
  });
  assert.deepEqual([sites['probe:node:path#join']?.hits, sites['probe:node:path#join']?.missed], [7, 0]);
});

test("node:http#createServer: the agent's control server is not counted", async () => {
  const sites = await run(['node:http#createServer=count'], "const h=require('http'); for(let i=0;i<3;i++) h.createServer()");
  assert.deepEqual([sites['probe:node:http#createServer']?.hits, sites['probe:node:http#createServer']?.missed], [3, 0]);
});

test("node:fs#mkdirSync and writeSync: the agent's directories, summary and trace file are not counted", async () => {
  using tmp = tempDir();
  const out = join(tmp.path, 'trace.jsonl');
  const sites = await run(
    ['node:fs#mkdirSync=trace', 'node:fs#writeSync=count', 'node:fs#writeFileSync=count'],
    `const fs=require('fs'); for(let i=0;i<3;i++) fs.mkdirSync(${JSON.stringify(tmp.path)}+'/d'+i)`,
    ['--out', out],
    { HOOKWIRE_RUNTIME_DIR: join(tmp.path, 'rt') },
  );
  assert.deepEqual([sites['probe:node:fs#mkdirSync']?.hits, sites['probe:node:fs#mkdirSync']?.missed], [3, 0]);
  assert.deepEqual([sites['probe:node:fs#writeSync']?.hits, sites['probe:node:fs#writeSync']?.missed], [0, 0], 'trace lines are written unobserved');
  assert.deepEqual([sites['probe:node:fs#writeFileSync']?.hits, sites['probe:node:fs#writeFileSync']?.missed], [0, 0], 'the summary too');
  const records = readFileSync(out, 'utf8').trim().split('\n');
  assert.equal(records.length, 3, 'one trace record per call of the program');
});

test('trace lines the agent writes to stderr are not counted, not even as missed', async () => {
  const sites = await run(['node:process#stderr.write=count', 'node:path#join=trace'], "const p=require('path'); for(let i=0;i<3;i++) p.join('a','b')");
  assert.deepEqual([sites['probe:node:path#join']?.hits, sites['probe:node:path#join']?.missed], [3, 0]);
  assert.deepEqual([sites['probe:node:process#stderr.write']?.hits, sites['probe:node:process#stderr.write']?.missed], [0, 0]);
});

test("a client's requests to the control server are not counted either", async () => {
  const probes = ['node:events#EventEmitter.prototype.emit=count', 'node:path#join=count', 'node:http#ServerResponse.prototype.end=count'];
  const program = 'setTimeout(() => {}, 3000)';
  /** Runs the program under the agent; with `client`, `hookwire ls PID` talks to it meanwhile. */
  const once = async (client: boolean): Promise<Record<string, Site>> => {
    using tmp = tempDir();
    const rt = join(tmp.path, 'rt');
    const env = { HOOKWIRE_RUNTIME_DIR: rt };
    const child = spawnNode([cli, 'run', '--json', ...probes.flatMap((p) => ['--probe', p]), '--', 'node', '-e', program], env);
    if (client) {
      const sock = await until(() => (existsSync(rt) ? readdirSync(rt).find((f) => f.endsWith('.sock')) : undefined), 'the control socket');
      const ls = await runCli(['ls', sock.replace('.sock', '')], env);
      assert.equal(ls.code, 0, ls.stderr);
      assert.match(ls.stdout, /EventEmitter\.prototype\.emit/u);
    }
    assert.equal(await child.exited, 0, child.stderr());
    const summary = JSON.parse(child.stdout().trim().split('\n').pop()!) as { sites: Site[] };
    return Object.fromEntries(summary.sites.map((s) => [s.site, s]));
  };
  const quiet = await once(false);
  const asked = await once(true);
  for (const site of Object.keys(quiet)) {
    assert.deepEqual([asked[site]?.hits, asked[site]?.missed], [quiet[site]?.hits, quiet[site]?.missed], `${site}: the same with and without a client`);
  }
});
