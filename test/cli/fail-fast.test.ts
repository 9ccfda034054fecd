// Mistakes that can be seen before the program starts end run and trace at once: exit code 2,
// exactly one line on stderr, and the program never ran (it would have written a marker file).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, reasonOf, runCli, tempDir } from '../control/helpers.ts';

const LIB = './test/fixtures/probe-modules/lib.cjs';
const ESM = './test/fixtures/probe-modules/esm-lib.mjs';

/** Each case: the arguments before the program, and what the one line must say. */
const CASES: [string[], RegExp][] = [
  [['trace', 'nosuchmodule_zz#f'], /^hookwire trace: nosuchmodule_zz#f: cannot find module "nosuchmodule_zz"/u],
  [['trace', 'semver#vaild'], /semver#vaild: module semver has no "vaild" \(did you mean `valid`\?\)$/u],
  [['trace', './nosuch.js#f'], /\.\/nosuch\.js#f: cannot find module "\.\/nosuch\.js"/u],
  [['trace', './examples/service/pricing.js#quote'], /cannot find module .* \(did you mean `\.\/examples\/service\/pricing\.cjs`\?\)$/u],
  [['trace', 'semver#SEMVER_SPEC_VERSION'], /SEMVER_SPEC_VERSION in semver is a string \("2\.0\.0"\), not a function$/u],
  [['trace', `${LIB}#Client.prototype.qurey`], /Client\.prototype has no "qurey" \(did you mean `query`\?\)$/u],
  [['trace', `${LIB}#nothing.deeper`], /module .*lib\.cjs has no "nothing"$/u],
  [['trace', `${ESM}#gret`], /esm-lib\.mjs has no "gret" \(did you mean `greet`\?\)$/u],
  [['trace', `${ESM}#version`], /version in .*esm-lib\.mjs is a number \(1\), not a function$/u],
  [['trace', 'node:fs#readFileSyn'], /did you mean `readFileSync`\?/u],
  [['trace', 'semver#valid={"type":"trace","evry":2}'], /unknown field "evry" in a trace spec/u],
  [['trace', 'semver#valid=count'], /trace attaches its own exits; to choose them, use hookwire run --probe SPEC=EXIT$/u],
  [['run', '--probe', 'semver#valid={"type":"trace","evry":2}'], /unknown field "evry" in a trace spec/u],
  [['run', '--probe', 'semver#vaild=count'], /did you mean `valid`\?/u],
  [['trace', 'semver#valid.'], /malformed probe spec "semver#valid\."/u],
  [['run', '--control', 'bogus'], /^hookwire run: --control must be unix, off, tcp or tcp:<port>, got "bogus"$/u],
  [['run', '--control', 'tcp:70000'], /^hookwire run: --control port 70000 is out of range/u],
  [
    ['trace', '--out', '/nonexistent/dir/f.jsonl', 'semver#valid'],
    /^hookwire trace: --out \/nonexistent\/dir\/f\.jsonl: cannot write in \/nonexistent\/dir/u,
  ],
  [['run', '--out', '/tmp'], /--out \/tmp: is a directory$/u],
  [['trace', '--evry', '2', 'semver#valid'], /^hookwire trace: unknown option --evry \(did you mean `--every`\?\)$/u],
  [['run', '--bogus'], /^hookwire run: unknown option --bogus \(options: .*--probe.*\)$/u],
  [['run', '--json=yes'], /^hookwire run: --json takes no value$/u],
  [['trace', 'semver#valid', '--out'], /^hookwire trace: --out needs a value$/u],
  [['trace', '--every', '-1', 'semver#valid'], /^hookwire trace: --every needs a value \(one that starts with "-" is given as --every=-1\)$/u],
  [['trace', '-hx', 'semver#valid'], /^hookwire trace: unknown option -x \(options: /u],
  // What the probe engine refuses (openSlot) is refused before the start alike: built-ins reached by a path.
  [['run', '--probe', 'node:fs#constructor'], /^hookwire run: node:fs#constructor: it is the JavaScript built-in Object, /u],
  [['run', '--probe', `${LIB}#add.__proto__`], /#add\.__proto__: it is the JavaScript built-in Object\.prototype\.__proto__ \(getter\)/u],
  [['trace', `${LIB}#constructor`], /lib\.cjs#constructor: it is the JavaScript built-in Object, /u],
  // Each attachment as the agent's server checks one, and a trace sink's file.
  [['trace', '--every', '1000000001', 'semver#valid'], /^hookwire trace: --every must be a whole number from 1 to 1e9, got "1000000001"$/u],
  [['run', '--probe', 'semver#valid={"type":"trace","every":1000000001}'], /"every" must be an integer from 1 to 1e9, got 1000000001$/u],
  [
    ['run', '--probe', 'semver#valid={"type":"trace","sink":{"file":"/nonexistent/dir/t.jsonl"}}'],
    /^hookwire run: semver#valid: trace sink "file" \/nonexistent\/dir\/t\.jsonl: cannot write in \/nonexistent\/dir/u,
  ],
  [['run', '--hook', 'a:b={"type":"trace","sink":{"chrome":"/tmp"}}'], /^hookwire run: a:b: trace sink "chrome" \/tmp: is a directory$/u],
];

test('run and trace refuse what they can check before the program starts: exit 2, one line, no program', async () => {
  using tmp = tempDir();
  const marker = join(tmp.path, 'started');
  const program = ['node', '-e', `require("fs").writeFileSync(${JSON.stringify(marker)}, "")`];
  for (const [args, reason] of CASES) {
    // With `--`, and for run also without it (the program starts at the first positional).
    const forms = [[...args, '--', ...program]];
    if (args.at(-1) !== '--out') forms.push([...args, ...program]);
    for (const argv of forms) {
      const r = await runCli(argv, { HOOKWIRE_RUNTIME_DIR: tmp.path });
      const what = `hookwire ${argv.join(' ')} → ${r.code} ${r.stderr}`;
      assert.equal(r.code, 2, what);
      const lines = r.stderr.split('\n').filter(Boolean);
      assert.equal(lines.length, 1, what);
      assert.match(lines[0]!, new RegExp(`^hookwire ${args[0]}: `, 'u'), what);
      assert.match(reasonOf(lines[0]!), reason, what);
      assert.equal(r.stdout, '', what);
      assert.equal(existsSync(marker), false, `the program started: ${what}`);
    }
  }
});

test('a missing -- is understood the same way by run and trace; without a program both say so alike', async () => {
  using tmp = tempDir();
  const marker = join(tmp.path, 'started');
  const program = ['node', '-e', `require("fs").writeFileSync(${JSON.stringify(marker)}, "")`];
  for (const args of [
    ['run', '--probe', 'semver#valid=count'],
    ['trace', 'semver#valid', 'shop:request'],
  ]) {
    const r = await runCli([...args, ...program], { HOOKWIRE_RUNTIME_DIR: tmp.path });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(existsSync(marker), true, args.join(' '));
    const none = await runCli(args, { HOOKWIRE_RUNTIME_DIR: tmp.path });
    assert.equal(none.code, 2);
    assert.match(
      none.stderr,
      new RegExp(
        `^hookwire ${args[0]}: no program to run: give the program after --, like: hookwire ${args[0]} .* -- node app\\.js \\(ERR_USAGE\\)\\n$`,
        'u',
      ),
    );
  }
});

test('a module that keeps running when loaded does not hold the check up', async () => {
  using tmp = tempDir();
  const r = await runCli(['trace', './test/fixtures/control-until-stdin.mjs#nothing', '--', 'node', '-e', '1'], { HOOKWIRE_RUNTIME_DIR: tmp.path });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /has no "nothing"/u);
});

test('a site that never attaches is reported at exit; --strict makes that exit code 2', async () => {
  using tmp = tempDir();
  // The ES module exists but the program never imports it, and no one declares the hook.
  const args = ['trace', `${ESM}#greet`, 'fixture:never', '--', 'node', '-e', '1'];
  const lenient = await runCli(args, { HOOKWIRE_RUNTIME_DIR: tmp.path });
  assert.equal(lenient.code, 0, lenient.stderr);
  assert.match(
    lenient.stderr,
    /^hookwire: never attached: probe:.*esm-lib\.mjs#greet, fixture:never \(the program never declared the hook or loaded the module\)$/mu,
  );
  const strict = await runCli(['trace', '--strict', ...args.slice(1)], { HOOKWIRE_RUNTIME_DIR: tmp.path });
  assert.equal(strict.code, 2, strict.stderr);
  assert.match(strict.stderr, /never attached: .*an error with --strict$/mu);
  const run = await runCli(['run', '--strict', '--hook', 'fixture:never', '--', 'node', '-e', '1'], { HOOKWIRE_RUNTIME_DIR: tmp.path });
  assert.equal(run.code, 2, run.stderr);
});

test('an attachment the agent refuses as the program starts is named at exit; --strict makes that exit code 2', async () => {
  using tmp = tempDir();
  // Past the agent's 256 attachments: the last is refused by the running agent, which nothing before could know.
  const hooks = Array.from({ length: 257 }, (_, i) => ['--hook', `fixture:h${i}`]).flat();
  const program = ['--', 'node', '-e', '1'];
  const lenient = await runCli(['run', '--json', ...hooks, ...program], { HOOKWIRE_RUNTIME_DIR: tmp.path });
  assert.equal(lenient.code, 0, lenient.stderr);
  assert.match(lenient.stderr, /^hookwire: cannot attach \{"type":"count"\} to fixture:h256: .*\(?256\b/mu);
  const summary = JSON.parse(lenient.stdout.trim().split('\n').at(-1)!) as { agents: { refused?: string[] }[] };
  assert.deepEqual(summary.agents[0]?.refused, ['fixture:h256']);
  const strict = await runCli(['run', '--strict', ...hooks, ...program], { HOOKWIRE_RUNTIME_DIR: tmp.path });
  assert.equal(strict.code, 2, strict.stderr);
  assert.match(strict.stderr, /^hookwire: refused at start: fixture:h256: an error with --strict$/mu);
});

test('the spec check is invisible to a hookwire run around the command: its agent stays idle', async () => {
  using tmp = tempDir();
  const inner = [cli, 'trace', 'semver#valid', '--', 'node', '-e', 'require("semver").valid("1.0.0")'];
  const r = await runCli(['run', '--json', '--hook', 'a:b', '--', 'node', ...inner], { HOOKWIRE_RUNTIME_DIR: tmp.path });
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  // The inner hookwire process only: the checker it started wrote no summary of its own.
  assert.deepEqual(
    summary.agents.map((a: { argv: string[] }) => a.argv[2]),
    ['trace'],
  );
});

test('--metrics and --control tcp:PORT on a port another program holds are refused before the start', async () => {
  using tmp = tempDir();
  const { createServer } = await import('node:net');
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const port = (holder.address() as { port: number }).port;
  const marker = join(tmp.path, 'started');
  const program = ['--', 'node', '-e', `require("fs").writeFileSync(${JSON.stringify(marker)}, "")`];
  try {
    for (const [args, reason] of [
      [
        ['--metrics', `127.0.0.1:${port}`],
        new RegExp(
          `^hookwire run: --metrics 127\\.0\\.0\\.1:${port}: cannot listen there \\(EADDRINUSE; port 0 picks a free one\\) \\(ERR_USAGE\\)$`,
          'u',
        ),
      ],
      [
        ['--control', `tcp:${port}`],
        new RegExp(
          `^hookwire run: --control tcp:${port}: cannot listen on 127\\.0\\.0\\.1:${port} \\(EADDRINUSE; tcp alone picks a free port\\) \\(ERR_USAGE\\)$`,
          'u',
        ),
      ],
    ] as const) {
      const r = await runCli(['run', ...args, ...program], { HOOKWIRE_RUNTIME_DIR: tmp.path });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr.trim(), reason);
      assert.equal(existsSync(marker), false, 'the program never started');
    }
  } finally {
    holder.close();
  }
});

test('a runtime directory the agent could not use is refused before the start; --control off needs none', async () => {
  using tmp = tempDir();
  const { chmodSync, mkdirSync, writeFileSync } = await import('node:fs');
  const open = join(tmp.path, 'open');
  mkdirSync(open, { mode: 0o755 });
  chmodSync(open, 0o755); // the umask may have taken bits away
  const file = join(tmp.path, 'file');
  writeFileSync(file, '');
  const marker = join(tmp.path, 'started');
  const program = ['--', 'node', '-e', `require("fs").writeFileSync(${JSON.stringify(marker)}, "")`];
  for (const [dir, reason] of [
    [open, /has mode 755: group and others must have no access \(chmod 700\); or run with --control off \(ERR_INSECURE_DIR\)$/u],
    [file, /the runtime directory .*\/file is not a directory .*; or run with --control off \(ERR_INSECURE_DIR\)$/u],
  ] as const) {
    for (const args of [['run'], ['trace', 'semver#valid'], ['run', '--control', 'tcp']]) {
      const r = await runCli([...args, ...program], { HOOKWIRE_RUNTIME_DIR: dir });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr.trim(), new RegExp(`^hookwire ${args[0]}: no control socket: `, 'u'));
      assert.match(r.stderr.trim(), reason);
      assert.equal(existsSync(marker), false, 'the program never started');
    }
  }
  const off = await runCli(['run', '--control', 'off', ...program], { HOOKWIRE_RUNTIME_DIR: open });
  assert.equal(off.code, 0, off.stderr);
  assert.equal(existsSync(marker), true, 'without control the program runs');
  // A missing directory is made, as the agent makes it.
  const made = join(tmp.path, 'made', 'here');
  const r = await runCli(['run', ...program], { HOOKWIRE_RUNTIME_DIR: made });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(existsSync(made), true);
});
