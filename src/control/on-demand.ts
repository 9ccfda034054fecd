/**
 * The agent brought into a running program that was started without hookwire (through its
 * inspector, see `inspector-attach.ts` and `attach-bootstrap.cts`). It serves the same control
 * socket as the preloaded agent, for the same catalogue of exits, but it is a guest: it reads no
 * `HOOKWIRE_*` attachments, installs no module hooks and no signal handlers, writes no summary,
 * and it leaves by itself: once it has had no attachment, no event subscriber and no request for
 * `idleMs`, it closes its socket, and nothing of hookwire listens in the process any more. Its
 * modules stay loaded (a module cannot be unloaded); a later attach starts it again without
 * loading anything.
 */
import { registry, setCodeGeneration } from '../core/index.ts';
import { asHookwire } from '../probe/engine.ts';
import { Attachments } from './attachments.ts';
import { exitCatalogue } from './catalogue.ts';
import { EventHub } from './events.ts';
import type { AttachmentInfo, ValidAttachRequest } from './protocol.ts';
import { removeSocketFiles, serveControl, type ControlServer } from './server.ts';

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

async function start(options: OnDemandOptions): Promise<Running> {
  if (process.env['HOOKWIRE_CODEGEN'] === 'off') setCodeGeneration(false);
  const hub = new EventHub();
  let lastBusy = Date.now();
  const touch = (): void => {
    lastBusy = Date.now();
  };
  const attachments = new GuestAttachments(touch, (record) => hub.trace(record));
  const server = await asHookwire(() => serveControl({ registry, dir: options.dir, tcp: false, info: () => ({ onDemand: true }) }, { attachments, hub }));
  const onExit = (): void => removeSocketFiles(server);
  process.on('exit', onExit);
  const timer = setInterval(
    () => {
      if (attachments.count > 0 || hub.subscribers > 0) touch();
      else if (Date.now() - lastBusy >= options.idleMs) {
        clearInterval(timer);
        process.off('exit', onExit);
        delete slot[RUNNING];
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
  readonly #touch: () => void;
  #count = 0;

  constructor(touch: () => void, onRecord: ConstructorParameters<typeof Attachments>[2]) {
    super(registry, exitCatalogue(registry), onRecord);
    this.#touch = touch;
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
