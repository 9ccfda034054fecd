import { agentClient } from './agent-client.ts';
import { commonOptions, parse, pidArg, UsageError } from './args.ts';
import type { Command } from './io.ts';

/** `hookwire remove PID NAME`: takes an attachment away (a probe's last removal restores the function). */
export const remove: Command = {
  name: 'remove',
  summary: 'remove an attachment (the probed function is restored when its last probe goes)',
  help: `Usage: hookwire remove PID NAME [--json]

Removes the attachment NAME (see hookwire ls PID): its exit is deregistered, or its probe
removed. The program's own exits can be disarmed, not removed.

  --json      print the agent's answer as JSON
  -h, --help  show this help`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, commonOptions);
    if (values.help) {
      io.stdout.write(`${this.help}\n`);
      return 0;
    }
    const pid = pidArg(positionals[0], 'remove');
    const name = positionals[1];
    if (name === undefined) throw new UsageError('remove needs the name of an attachment (see hookwire ls PID)');
    if (positionals.length > 2) throw new UsageError(`remove takes PID and one NAME, got ${positionals.length} arguments`);
    const answer = await (await agentClient(pid, io, { bring: false })).remove({ name });
    if (values.json) io.stdout.write(`${JSON.stringify(answer)}\n`);
    else io.stdout.write(`removed ${name}\n`);
    return 0;
  },
};
