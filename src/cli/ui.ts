import { spawn } from 'node:child_process';
import { runtimeDir } from '../control/runtime-dir.ts';
import { commonOptions, parse, pidArg, UsageError } from './args.ts';
import type { Command, Io } from './io.ts';
import { AgentSet } from './ui-agents.ts';
import { startUiServer } from './ui-server.ts';

const options = { help: commonOptions.help, port: { type: 'string' }, 'no-open': { type: 'boolean' } } as const;

/** `hookwire ui [PID...]`: a live dashboard in the browser, served on 127.0.0.1. */
export const ui: Command = {
  name: 'ui',
  summary: 'a live dashboard of running programs in the browser',
  help: `Usage: hookwire ui [PID...] [--port N] [--no-open]

Serves a page on 127.0.0.1 that shows the programs running the hookwire agent, live: their
hooks, probes and exits with state, order, hits, rates and latencies, the trace stream,
assert failures and problems; and steers them (attach a catalogue exit, arm, disarm,
remove), with the same checks as the other commands. Without PID: every agent of this user,
followed as programs start and stop. Prints the URL with a one-time token and opens the
browser; Ctrl-C stops.

  --port N    listen on this port (default: a free one)
  --no-open   print the URL only; do not start a browser
  -h, --help  show this help`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, options);
    if (values.help) {
      io.stdout.write(`${this.help}\n`);
      return 0;
    }
    // A pid given twice is one program: followed once, and named once.
    const pids = [...new Set(positionals.map((p) => pidArg(p, 'ui')))];
    let port = 0;
    if (values.port !== undefined) {
      port = Number(values.port);
      if (!/^\d{1,5}$/u.test(values.port) || port < 1 || port > 65_535)
        throw new UsageError(`--port must be a port number from 1 to 65535, got "${values.port}"`);
    }
    const agents = new AgentSet(runtimeDir(io.env), pids.length === 0 ? undefined : pids);
    await agents.start();
    let server;
    try {
      server = await startUiServer(agents, { port });
    } catch (error) {
      agents.stop();
      throw error;
    }
    const shown = pids.length === 0 ? 'every hookwire agent of this user' : `process${pids.length > 1 ? 'es' : ''} ${pids.join(', ')}`;
    // Listening for the signals before anyone can know the server is up: a Ctrl-C (or a test's
    // SIGTERM) right after the URL or the browser appears stops it cleanly.
    const stopped = new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    io.stdout.write(`hookwire ui: ${server.url}\n  showing ${shown}; the token works once. Ctrl-C stops.\n`);
    if (values['no-open'] !== true) openBrowser(server.url, io);
    await stopped;
    agents.stop();
    await server.close();
    return 0;
  },
};

/** Starts the system's browser on `url`; if there is none, the printed URL is the way in. */
function openBrowser(url: string, io: Io): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', (error) => io.stderr.write(`hookwire ui: could not start a browser (${command}: ${error.message}); open the URL above\n`));
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) io.stderr.write(`hookwire ui: ${command} could not open a browser (exit ${code}); open the URL above\n`);
    });
    child.unref();
  } catch (error) {
    io.stderr.write(`hookwire ui: could not start a browser (${(error as Error).message}); open the URL above\n`);
  }
}
