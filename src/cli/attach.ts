import type { AttachAnswer, AttachRequest } from '../control/protocol.ts';
import { EXIT_TYPES, NAMED_EXIT_TYPES } from '../exits/exit-types.ts';
import { agentClient } from './agent-client.ts';
import { commonOptions, parse, pidArg, UsageError } from './args.ts';
import { checkTarget, parseExitArg } from './site-args.ts';
import type { Command } from './io.ts';

const options = { ...commonOptions, name: { type: 'string' }, disarmed: { type: 'boolean' }, 'allow-root': { type: 'boolean' } } as const;

/** `hookwire attach PID TARGET [EXIT]`: attaches a catalogue exit in a running program. */
export const attach: Command = {
  name: 'attach',
  summary: `attach a catalogue exit (${EXIT_TYPES.join(', ')}) to a hook or a new probe`,
  help: `Usage: hookwire attach PID TARGET [EXIT] [--name NAME] [--disarmed] [--json]

TARGET is a hook the program declares (area:point) or a probe spec (MODULE#PATH, like
./lib/db.js#query or node:fs#readFileSync, or probe:FILE:LINE, like probe:./lib/db.mjs:42).
EXIT (default latency) is ${NAMED_EXIT_TYPES.join(', ')}, a list (count,trace: all attach or
none does), or a JSON spec like '{"type":"trace","every":10}'. Trace records go to the agent's event stream
(GET /v1/events); counts and latencies show in hookwire ls and hookwire top.

  --name NAME  the attachment's name (default TYPE@TARGET)
  --disarmed   attach without arming it
  --allow-root as root, attach to another user's process (docs/production.md)
  --json       print the agent's answer as JSON
  -h, --help   show this help`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, options);
    if (values.help) {
      io.stdout.write(`${this.help}\n`);
      return 0;
    }
    const pid = pidArg(positionals[0], 'attach');
    const target = positionals[1];
    if (target === undefined) throw new UsageError('attach needs a TARGET: a hook name or a probe spec');
    if (positionals.length > 3) throw new UsageError(`attach takes PID TARGET [EXIT], got ${positionals.length} arguments`);
    checkTarget(target, target);
    const exits = parseExitArg(positionals[2] ?? 'latency', 'EXIT');
    if (exits.length > 1 && values.name !== undefined) throw new UsageError('--name needs a single EXIT');
    const client = await agentClient(pid, io, { allowRoot: values['allow-root'] === true });
    const answers: AttachAnswer[] = [];
    try {
      for (const exit of exits) {
        const body: AttachRequest = { target, exit };
        if (values.name !== undefined) body.name = values.name;
        if (values.disarmed) body.armed = false;
        answers.push(await client.attach(body));
      }
    } catch (error) {
      // All or nothing: the exits of the list attached before the refusal are removed again.
      for (const answer of answers.reverse()) await client.remove({ name: answer.attached.name }).catch(() => {});
      throw error;
    }
    if (values.json) io.stdout.write(`${JSON.stringify(answers.length === 1 ? answers[0] : answers)}\n`);
    else for (const { attached: a } of answers) io.stdout.write(`attached ${a.name} (${a.status}${a.armed ? ', armed' : ', disarmed'})\n`);
    return 0;
  },
};
