/**
 * The agent brought into a running program that was started without hookwire (through its
 * inspector, see `inspector-attach.ts` and `attach-bootstrap.cts`). It serves the same control
 * socket as the preloaded agent, for the same catalogue of exits, but it is a guest: it reads no
 * `HOOKWIRE_*` attachments, installs no module hooks and no signal handlers, writes no summary,
 * and it leaves by itself: once it has had no attachment, no event subscriber and no request for
 * `idleMs`, it closes its socket, and nothing of hookwire listens in the process any more. Its
 * modules stay loaded (a module cannot be unloaded); a later attach starts it again without
 * loading anything. While it is there it reaches the program's worker threads through an
 * in-process inspector session (threads/guest-reach.ts), and every change waits for them.
 */
import { registry, setCodeGeneration } from '../core/index.ts';
import { asHookwire } from '../probe/engine.ts';
import { Attachments } from './attachments.ts';
import { exitCatalogue } from './catalogue.ts';
import { EventHub } from './events.ts';
import type { AttachmentInfo, ValidAttachRequest } from './protocol.ts';
import { removeSocketFiles, serveControl, type ControlServer } from './server.ts';
import type { TraceRecord } from '../exits/index.ts';
import { ThreadFleet } from './threads/fleet.ts';
import { reachGuestWorkers, type GuestReach } from './threads/guest-reach.ts';
import { createMainLink, threadTimeout, type MainLink } from './threads/link.ts';

/** What the bootstrap passes in: fixed values the CLI chose, never code. */
export interface OnDemandOptions {
  /** The runtime directory of the user who attaches. */
  dir: string;
  /** Leave after this long without attachments, subscribers or requests. */
  idleMs: number;
}

interface Running {
  server: ControlServer;
  touch(): void;
}

const RUNNING = Symbol.for('hookwire.on-demand');
const slot = globalThis as { [RUNNING]?: Promise<Running> };

/** Starts the guest agent (or finds it running) and resolves to its socket path. */
export async function startOnDemand(options: OnDemandOptions): Promise<string> {
  const running = slot[RUNNING] ?? (slot[RUNNING] = start(options));
  try {
    const r = await running;
    r.touch();
    return r.server.path ?? '';
  } catch (error) {
    if (slot[RUNNING] === running) delete slot[RUNNING];
    throw error;
  }
}

/**
 * What outlives one stay of the guest agent: the attachments (none when it leaves) and the fleet
 * of worker threads with the memory it shares with them. A worker reached once keeps its thread
 * agent (a module cannot be unloaded), bound to this memory: a later stay speaks to it again.
 */
let kept: { attachments: GuestAttachments; fleet: ThreadFleet; link: MainLink } | undefined;

async function start(options: OnDemandOptions): Promise<Running> {
  if (process.env['HOOKWIRE_CODEGEN'] === 'off') setCodeGeneration(false);
  const hub = new EventHub();
  let lastBusy = Date.now();
  const touch = (): void => {
    lastBusy = Date.now();
  };
  if (kept === undefined) {
    const link = createMainLink();
    kept = { attachments: new GuestAttachments(), fleet: new ThreadFleet(threadTimeout(process.env), link), link };
  }
  const { attachments, fleet, link } = kept;
  attachments.stay(touch, (record) => hub.trace(record));
  // Changes reach every worker thread, and wait for them, as under `hookwire run` (threads/fleet.ts).
  fleet.adopt(attachments);
  let reach: GuestReach;
  try {
    reach = reachGuestWorkers(link);
  } catch (error) {
    throw new Error(`cannot reach the worker threads through the inspector: ${(error as Error).message}`, { cause: error });
  }
  let server: ControlServer;
  try {
    server = await asHookwire(() => serveControl({ registry, dir: options.dir, tcp: false, info: () => ({ onDemand: true }) }, { attachments, hub }));
  } catch (error) {
    reach.close();
    throw error;
  }
  const onExit = (): void => removeSocketFiles(server);
  process.on('exit', onExit);
  const timer = setInterval(
    () => {
      if (attachments.count > 0 || hub.subscribers > 0) touch();
      else if (Date.now() - lastBusy >= options.idleMs) {
        clearInterval(timer);
        process.off('exit', onExit);
        delete slot[RUNNING];
        // The workers have no attachment either (each removal waited for them, or they drop it when they yield).
        reach.close();
        void asHookwire(() => server.close());
      }
    },
    Math.min(options.idleMs, 1000),
  );
  timer.unref();
  return { server, touch };
}

/** The agent's attachments, noting every request that reads or changes them as activity. */
class GuestAttachments extends Attachments {
  #touch: () => void = () => {};
  readonly #sink: { record: (record: TraceRecord) => void };
  #count = 0;

  constructor() {
    const sink = { record: (_record: TraceRecord): void => {} };
    super(registry, exitCatalogue(registry), (record) => sink.record(record));
    this.#sink = sink;
  }

  /** A stay of the guest agent begins: what notes activity, and where trace records go. */
  stay(touch: () => void, onRecord: (record: TraceRecord) => void): void {
    this.#touch = touch;
    this.#sink.record = onRecord;
  }

  /** How many attachments there are now. */
  get count(): number {
    return this.#count;
  }

  override attach(request: ValidAttachRequest, options?: Parameters<Attachments['attach']>[1]): AttachmentInfo {
    this.#touch();
    const info = super.attach(request, options);
    this.#count++;
    return info;
  }

  override remove(request: Parameters<Attachments['remove']>[0]): AttachmentInfo {
    this.#touch();
    const info = super.remove(request);
    this.#count--;
    return info;
  }

  override list(): AttachmentInfo[] {
    this.#touch();
    return super.list();
  }
}
