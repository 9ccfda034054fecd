import { agentClient } from './agent-client.ts';
import { commonOptions, parse, pidArg, UsageError } from './args.ts';
import type { Command } from './io.ts';

/** `hookwire arm` and `hookwire disarm` differ only in the direction. */
export function toggleCommand(name: 'arm' | 'disarm'): Command {
  const options = { ...commonOptions, exit: { type: 'string' } } as const;
  return {
    name,
    summary: `${name} an attachment, or the exits of a hook the program declares`,
    help: `Usage: hookwire ${name} PID NAME [--exit EXIT] [--json]

NAME is an attachment (see hookwire ls PID) or a hook the program declares; for a hook, all
its exits are ${name}ed at once (all or none), or only the one named by --exit.
A sealed hook refuses (ERR_HOOK_SEALED).

  --exit EXIT  only this exit of the hook
  --json       print the agent's answer as JSON
  -h, --help   show this help`,
    async run(argv, io) {
      const { values, positionals } = parse(argv, options);
      if (values.help) {
        io.stdout.write(`${this.help}\n`);
        return 0;
      }
      const pid = pidArg(positionals[0], name);
      const target = positionals[1];
      if (target === undefined) throw new UsageError(`${name} needs the name of an attachment or a hook`);
      if (positionals.length > 2) throw new UsageError(`${name} takes PID and one NAME, got ${positionals.length} arguments`);
      const client = await agentClient(pid, io, { bring: false });
      const body = values.exit === undefined ? { name: target } : { name: target, exit: values.exit };
      const answer = name === 'arm' ? await client.arm(body) : await client.disarm(body);
      if (values.json) io.stdout.write(`${JSON.stringify(answer)}\n`);
      else {
        const result = 'armed' in answer ? answer.armed : answer.disarmed;
        const exits = result.exits;
        io.stdout.write(`${name}ed ${exits.length === 1 && exits[0]?.name === result.name ? result.name : `${exits.length} exit(s) of ${result.name}`}\n`);
      }
      return 0;
    },
  };
}
