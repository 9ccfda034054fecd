/**
 * The agent of one worker thread (started by `thread-preload.cjs`, which Node runs in every
 * worker through NODE_OPTIONS, or, in a program started without hookwire, by the brought-in agent
 * through the inspector: {@link joinAsGuest}). It opens no socket: it brings the thread to the state the main
 * thread's agent wants (shared memory, {@link SharedText}) as the worker starts, before the
 * program's code runs there, and again at every change it is told of; it answers through the
 * mailbox with what it measured, forwards trace records, and says when it ends and when a worker
 * it started ends. Nothing here runs on a fire path: a thread with nothing armed pays nothing.
 */
import { asHookwire } from '../../probe/engine.ts';
import { installEsmHooksOnDemand, markProgramStarted } from '../../probe/esm-demand.ts';
import { HookError, registry } from '../../core/index.ts';
import { Attachments } from '../attachments.ts';
import { setHookExitsArmed } from '../arming.ts';
import { exitCatalogue, type Catalogue } from '../catalogue.ts';
import { sharedCount } from './shared-count.ts';
import { SharedTallies } from './tallies.ts';
import { Mailbox } from './mailbox.ts';
import {
  ENVIRONMENT_KEY,
  FINAL,
  LINK,
  PARENT_KEY,
  TO_MAIN,
  TO_THREADS,
  type LinkMessage,
  type ThreadLink,
  type ThreadRecord,
  type ThreadReport,
  type ThreadState,
  type ToThreads,
} from './messages.ts';
import { threadReport } from './reports.ts';
import { SharedText } from './shared-text.ts';
import { beyondCounts, watchWorkers } from './watch-workers.ts';

// process.getBuiltinModule, not `import`: an ES import builds the module's facade (start-up time).
const { BroadcastChannel, getEnvironmentData, setEnvironmentData, threadId } = process.getBuiltinModule('node:worker_threads');

let started = false;

/**
 * Starts the thread agent from the thread preload (`thread-preload.cjs`), before the worker's own
 * code: in a worker whose environment data carries the main thread's link (the agent runs there).
 */
export function startFromPreload(): void {
  const link = getEnvironmentData(ENVIRONMENT_KEY) as ThreadLink | undefined;
  if (link !== undefined) asHookwire(() => startThreadAgent(link, false));
}

/**
 * Starts the thread agent in a worker that a brought-in (guest) agent reached through the
 * inspector (`guest-reach.ts` has the worker evaluate a fixed call of this, nothing else). A worker
 * started after the guest agent finds the link in its environment data and starts at once, before
 * its code runs (it waits paused for this); one started before asks the main thread for the link on
 * {@link LINK} and starts when it comes, at a turn of its event loop. Idempotent: a worker reached
 * again (a later attach) keeps the agent it has. Installs no module hooks, as the guest agent.
 * Returns the worker's thread id.
 */
export function joinAsGuest(): number {
  if (started) return threadId;
  const link = getEnvironmentData(ENVIRONMENT_KEY) as ThreadLink | undefined;
  if (link !== undefined) {
    asHookwire(() => startThreadAgent(link, true));
    return threadId;
  }
  const channel = new BroadcastChannel(LINK);
  channel.unref();
  channel.onmessage = (event: { data: unknown }): void => {
    const message = event.data as LinkMessage;
    if (message.t !== 'link' || started) return;
    channel.close();
    setEnvironmentData(ENVIRONMENT_KEY, message.link);
    asHookwire(() => startThreadAgent(message.link, true));
  };
  channel.postMessage({ t: 'need', thread: threadId } satisfies LinkMessage);
  return threadId;
}

function startThreadAgent(link: ThreadLink, guest: boolean): void {
  if (started) return;
  started = true;
  const state = new SharedText(link.state);
  const mailbox = new Mailbox(link.mailbox);
  const records = new BroadcastChannel(TO_MAIN);
  records.unref();
  const forward = (name: string) => (record: ThreadRecord['record']) => {
    records.postMessage({ thread: threadId, name, record } satisfies ThreadRecord);
  };
  const tallies = new SharedTallies(link.tallies);
  const uids = new Map<string, string>();
  // The uid of the attachment being made: its count exit's counters are announced under it.
  let making = '';
  const real = exitCatalogue(registry);
  const catalogue: Catalogue = {
    ...real,
    observer(spec, onRecord, options) {
      // A plain count counts in shared memory: the main thread reads it whatever this thread does.
      if (spec['type'] === 'count' && Object.keys(spec).length === 1) {
        const uid = making;
        return sharedCount(tallies, (site, slot) => mailbox.post({ t: 'tally', thread: threadId, uid, site, slot }));
      }
      return real.observer(spec, onRecord, options);
    },
  };
  const attachments = new Attachments(registry, catalogue, () => {});
  /** The hook armings applied here, by `seq`, each with what undoes it (when it is rolled back). */
  const armingsApplied = new Map<number, () => void>();
  let epoch = -1;

  const reports = (): ThreadReport[] => attachments.list().map((info) => threadReport(uids.get(info.name) ?? '', info, attachments.observerOf(info.name)));

  // Subscribed and announced before the state is read: a change made after the read is heard.
  const changes = new BroadcastChannel(TO_THREADS);
  changes.unref();
  const finals = new BroadcastChannel(FINAL);
  finals.unref();
  changes.onmessage = (event: { data: unknown }): void => {
    const message = event.data as ToThreads;
    asHookwire(() => {
      if (message.t === 'change') bringUpToDate();
      else if (message.t === 'sync') {
        // Resolves once this thread's async dispatches begun before now have ended (they may never: the main thread times out).
        const id = message.id;
        void registry.synchronize().then(() => mailbox.post({ t: 'synced', thread: threadId, id }));
      } else if (message.t === 'read' && (message.threads === undefined || message.threads.includes(threadId))) {
        mailbox.post({ t: 'report', thread: threadId, id: message.id, reports: reports() });
        if (message.id === -1) finals.postMessage({ thread: threadId });
      }
    });
  };
  const parent = getEnvironmentData(PARENT_KEY);
  mailbox.post({ t: 'hello', thread: threadId, parent: typeof parent === 'number' ? parent : 0 });
  // The workers this one starts copy its environment data: they learn who started them.
  setEnvironmentData(PARENT_KEY, threadId);
  watchWorkers(mailbox, () => beyondCounts(state.read().text));
  // The ES module hooks as the agent has them: only once a spec names an ES module (esm-install.ts).
  // A guest installs none (as the brought-in agent in the main thread: on-demand.ts).
  if (!guest) installEsmHooksOnDemand();
  bringUpToDate();
  markProgramStarted();

  // A hook named by an attachment is often declared after the worker started.
  registry.onDeclare(() => asHookwire(() => attachments.resolvePending()));
  // A worker that ends by itself (or by process.exit) leaves its last counts; one terminated by
  // its parent is asked for them by the parent's agent first (watch-workers.ts).
  process.on('exit', () => asHookwire(() => mailbox.post({ t: 'report', thread: threadId, id: -1, reports: reports() })));

  /** Reads the wanted state and applies what differs; answers with the epoch (or the refusal). */
  function bringUpToDate(): void {
    const { epoch: wanted, text } = state.read();
    if (wanted === epoch || text === '') return;
    try {
      apply(JSON.parse(text) as ThreadState);
      epoch = wanted;
      mailbox.post({ t: 'ack', thread: threadId, epoch: wanted, reports: reports() });
    } catch (error) {
      const code = error instanceof HookError ? error.code : 'ERR_INTERNAL';
      mailbox.post({ t: 'ack', thread: threadId, epoch: wanted, error: { code, message: (error as Error).message }, reports: reports() });
    }
  }

  /** Brings the attachments to `wanted`, all or nothing: what it did is undone if one step fails. */
  function apply(wanted: ThreadState): void {
    undoRolledBack(wanted.hookArmings);
    const undo: (() => void)[] = [];
    try {
      const keep = new Set(wanted.attachments.map((a) => a.uid));
      for (const info of attachments.list()) {
        const uid = uids.get(info.name);
        if (uid !== undefined && keep.has(uid)) continue;
        attachments.remove({ name: info.name });
        uids.delete(info.name);
        // A removal is not undone: the main thread removed it already, and a remove cannot refuse.
      }
      for (const a of wanted.attachments) {
        if (uids.get(a.name) === a.uid) {
          const now = attachments.list().find((i) => i.name === a.name);
          if (now !== undefined && now.armed !== a.armed) {
            attachments.setArmed({ name: a.name }, a.armed);
            undo.push(() => attachments.setArmed({ name: a.name }, !a.armed));
          }
          continue;
        }
        making = a.uid;
        attachments.attach(
          { target: a.target, exit: a.exit, name: a.name, armed: a.armed },
          // A worker never loads a module for a probe: the probe waits until the worker's code loads it.
          { allowPending: true, allowFiles: a.files, allowLoad: false, onRecord: forward(a.name) },
        );
        uids.set(a.name, a.uid);
        undo.push(() => {
          attachments.remove({ name: a.name });
          uids.delete(a.name);
        });
      }
      for (const h of wanted.hookArmings) {
        if (armingsApplied.has(h.seq)) continue;
        const hook = registry.get(h.hook);
        // The program's hook may not be declared in this thread: nothing to arm here (now or later).
        let restore = (): void => {};
        if (hook !== undefined) {
          const before = hook.exits.map((e) => [e, e.armed] as const);
          setHookExitsArmed(hook, h.exit, h.armed);
          restore = () => {
            for (const [e, armed] of before)
              if (armed) e.arm();
              else e.disarm();
          };
        }
        armingsApplied.set(h.seq, restore);
        undo.push(() => {
          restore();
          armingsApplied.delete(h.seq);
        });
      }
    } catch (error) {
      for (const step of undo.reverse()) {
        try {
          step();
        } catch {
          // Undo what can be undone.
        }
      }
      throw error;
    }
  }

  /**
   * Undoes, newest first, the armings applied here that the wanted list no longer has although
   * newer ones than its oldest: another thread refused them and the main thread rolled them back.
   * Those older than its oldest were only dropped from the list (it keeps the last ones).
   */
  function undoRolledBack(wanted: ThreadState['hookArmings']): void {
    const listed = new Set(wanted.map((h) => h.seq));
    const oldest = wanted[0]?.seq ?? 0;
    const gone: [number, () => void][] = [];
    for (const [seq, restore] of armingsApplied) {
      if (seq < oldest) armingsApplied.delete(seq);
      else if (!listed.has(seq)) gone.push([seq, restore]);
    }
    for (const [seq, restore] of gone.reverse()) {
      armingsApplied.delete(seq);
      try {
        restore();
      } catch {
        // An exit deregistered since: nothing left to undo.
      }
    }
  }
}
