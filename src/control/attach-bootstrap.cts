/**
 * The one piece of code hookwire has a program's inspector run (`inspector-attach.ts` sends
 * `require(<this file>).start(PID, OPTIONS)` with PID and OPTIONS as JSON literals). A CommonJS
 * file, because an expression evaluated through the inspector cannot `import()` (Node gives it no
 * module loader), but a required CommonJS module can. It checks it runs in the process it was
 * meant for, starts loading the guest agent (`on-demand.ts`) and returns at once; the inspector is
 * closed on the next turn of the event loop, after the answer has gone out (closing waits for the
 * connected client to hang up), so the port is not open while the agent's modules load. The
 * agent reports back through the runtime directory: its socket, or `<pid>.attach-error`.
 */
interface Options {
  dir: string;
  idleMs: number;
}

function start(pid: number, options: Options): number {
  try {
    if (pid !== process.pid) throw new Error(`this is process ${process.pid}, not ${pid}`);
    const url = `${process.getBuiltinModule('node:url').pathToFileURL(__dirname).href}/on-demand.js`;
    import(url).then(
      (agent: { startOnDemand(o: Options): Promise<string> }) => agent.startOnDemand(options).catch((error: unknown) => failed(options.dir, error)),
      (error: unknown) => failed(options.dir, error),
    );
    return process.pid;
  } finally {
    closeSoon();
  }
}

/**
 * Closes the inspector on the next turn of the event loop, after a poll phase: SIGUSR1 also asks
 * the event loop to start the inspector (beside the interrupt that usually starts it first), and
 * a program that was busy when it came handles that request at its next poll phase. A close
 * before it would be undone there: the port would open again, for good.
 */
function closeSoon(): void {
  setTimeout(() => setImmediate(closeInspector), 0);
}

function closeInspector(): void {
  try {
    process.getBuiltinModule('node:inspector').close();
  } catch {
    // Closed already.
  }
}

/** Leaves the reason for the attaching command, readable by this user only. */
function failed(dir: string, error: unknown): void {
  try {
    const fs = process.getBuiltinModule('node:fs');
    const message = error instanceof Error ? error.message : String(error);
    fs.writeFileSync(`${dir}/${process.pid}.attach-error`, message.split('\n')[0] ?? '', { mode: 0o600 });
  } catch {
    // Nowhere to report: the attaching command times out waiting for the socket.
  }
}

export = { start };
