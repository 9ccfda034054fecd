/**
 * How the brought-in agent (on-demand.ts) reaches the worker threads of a program started without
 * hookwire, where no thread preload runs: through the program's own inspector, in the process (an
 * in-process `node:inspector` session, no port). `NodeWorker.enable` reports every worker thread
 * of the process, nested ones included, those running already and each new one, which then waits,
 * paused before its code, until released. In each, hookwire evaluates one fixed call of its own
 * (the thread agent's `joinAsGuest`, by the agent's path: nothing a client sent), which starts the
 * thread agent there; a new worker is first let run to a pause just before its first script (its
 * module loader is not ready earlier), and released once the agent is in. From then on the worker is one of the fleet's, as under
 * `hookwire run`. A worker that cannot be reached (the evaluation fails) is announced as running
 * without an agent, so that a change is refused (`ERR_THREAD_UNREACHED`) instead of answered for
 * the threads reached; one that does not answer yet (busy) is a thread still starting, which a
 * change waits for, within the timeout (`ERR_TIMEOUT`).
 */
import { asHookwire } from '../../probe/engine.ts';
import { ownFile } from '../../probe/own-files.ts';
import { shareMainLink, threadLinkOf, type MainLink } from './link.ts';
import { LINK, type FromThread, type LinkMessage } from './messages.ts';
import { beyondCounts, watchWorkers } from './watch-workers.ts';

// process.getBuiltinModule, not `import`: an ES import builds the module's facade (start-up time).
const { BroadcastChannel } = process.getBuiltinModule('node:worker_threads');

/** The ids of the protocol messages sent to a worker. */
const EVALUATE = 1;
const RELEASE = 2;
const DEBUGGER_ON = 3;
const BEFORE_SCRIPT = 4;
const DEBUGGER_OFF = 5;
const RESUME = 6;

/** The reach, while the guest agent is there. */
export interface GuestReach {
  /** Stops reaching workers: the session is disconnected, workers started from now on get nothing. */
  close(): void;
}

/** The expression each worker evaluates: fixed, made of hookwire's own path only. */
export function joinExpression(): string {
  const path = JSON.stringify(decodeURIComponent(ownFile('control/threads/thread-agent.js').pathname));
  return `process.getBuiltinModule('node:module').createRequire(${path})(${path}).joinAsGuest()`;
}

/**
 * Starts reaching every worker thread of this process (call in the main thread): shares `link`
 * with the workers started from now on, answers the link requests of those started before, and
 * has each run the thread agent.
 */
export function reachGuestWorkers(link: MainLink): GuestReach {
  const post = (message: FromThread): void => {
    link.mailbox.post(message);
  };
  shareMainLink(link);
  const unwatch = watchWorkers(link.mailbox, () => beyondCounts(link.state.read().text));
  const shared = threadLinkOf(link);
  const links = new BroadcastChannel(LINK);
  links.unref();
  links.onmessage = (event: { data: unknown }): void => {
    if ((event.data as LinkMessage).t === 'need') links.postMessage({ t: 'link', link: shared } satisfies LinkMessage);
  };

  const session = new (process.getBuiltinModule('node:inspector').Session)();
  /** Thread ids by inspector session id. */
  const threads = new Map<string, number>();
  /** The sessions of new workers not yet paused before their first script. */
  const pausing = new Set<string>();
  const send = (sessionId: string, id: number, method: string, params: object = {}): void => {
    session.post('NodeWorker.sendMessageToWorker', { sessionId, message: JSON.stringify({ id, method, params }) });
  };
  session.on('NodeWorker.attachedToWorker', (message: { params: AttachedParams }) =>
    asHookwire(() => {
      const { sessionId, workerInfo, waitingForDebugger } = message.params;
      const thread = threadOfTitle(workerInfo.title);
      if (thread !== undefined) threads.set(sessionId, thread);
      if (waitingForDebugger) {
        // Paused before Node prepared the worker (its module loader cannot load yet, Node 20):
        // released to a pause just before the first script runs (Node's own break on start, or
        // the instrumentation breakpoint), where the agent is loaded before the worker's code.
        pausing.add(sessionId);
        send(sessionId, DEBUGGER_ON, 'Debugger.enable');
        send(sessionId, BEFORE_SCRIPT, 'Debugger.setInstrumentationBreakpoint', { instrumentation: 'beforeScriptExecution' });
        send(sessionId, RELEASE, 'Runtime.runIfWaitingForDebugger');
        return;
      }
      // Running already: its parent's agent, if it had one, did not see it start.
      if (thread !== undefined) post({ t: 'born', thread, parent: 0 });
      join(sessionId);
    }),
  );
  const join = (sessionId: string): void => {
    send(sessionId, EVALUATE, 'Runtime.evaluate', { expression: joinExpression(), returnByValue: true, silent: true });
  };
  session.on('NodeWorker.receivedMessageFromWorker', (message: { params: { sessionId: string; message: string } }) =>
    asHookwire(() => {
      const { sessionId } = message.params;
      const answer = JSON.parse(message.params.message) as EvaluateAnswer;
      if (answer.method === 'Debugger.paused') {
        if (pausing.delete(sessionId)) join(sessionId);
        // The debugger off (its breakpoint gone with it), then on: the worker's code runs.
        send(sessionId, DEBUGGER_OFF, 'Debugger.disable');
        send(sessionId, RESUME, 'Debugger.resume');
        return;
      }
      if (answer.id !== EVALUATE) return;
      const value = answer.result?.result?.value;
      if (typeof value === 'number' && answer.result?.exceptionDetails === undefined) {
        threads.set(sessionId, value);
        return;
      }
      // Not reached: running without an agent, which refuses every change until it ends.
      const thread = threads.get(sessionId);
      if (thread === undefined) return;
      post({ t: 'born', thread, parent: 0 });
      post({ t: 'online', thread });
    }),
  );
  session.on('NodeWorker.detachedFromWorker', (message: { params: { sessionId: string } }) =>
    asHookwire(() => {
      const thread = threads.get(message.params.sessionId);
      threads.delete(message.params.sessionId);
      if (thread !== undefined) post({ t: 'gone', thread });
    }),
  );
  session.connect();
  session.post('NodeWorker.enable', { waitForDebuggerOnStart: true });

  let open = true;
  return {
    close() {
      if (!open) return;
      open = false;
      unwatch();
      links.close();
      shareMainLink(undefined);
      session.disconnect();
    },
  };
}

interface AttachedParams {
  sessionId: string;
  workerInfo: { title: string };
  waitingForDebugger: boolean;
}

interface EvaluateAnswer {
  id?: number;
  method?: string;
  result?: { result?: { value?: unknown }; exceptionDetails?: unknown };
}

/** The thread id in a worker's inspector title (`[worker 3]`, `[worker 3] WorkerThread`). */
function threadOfTitle(title: string): number | undefined {
  const found = /^\[worker (\d+)\]/u.exec(title);
  return found === null ? undefined : Number(found[1]);
}
