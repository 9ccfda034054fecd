import type { ServerResponse } from 'node:http';

/**
 * Leases: attachments that live only as long as the client that made them. A client opens the
 * event stream with `?lease=ID` and attaches with `"lease": "ID"`; when the last stream holding
 * that lease closes (the client ended, was killed, or lost its connection), its attachments are
 * removed. So `hookwire trace --pid` killed with SIGKILL leaves nothing of its own in the program.
 * The lease is named by the client; it only ties the client's own attachments to its own stream.
 */
export class Leases {
  /** Open streams per lease. */
  readonly #holders = new Map<string, number>();
  /** Attachment names per lease. */
  readonly #names = new Map<string, Set<string>>();
  readonly #remove: (name: string) => Promise<unknown>;

  /** `remove` removes one attachment by name (everywhere); its failure (already gone) is ignored. */
  constructor(remove: (name: string) => Promise<unknown>) {
    this.#remove = remove;
  }

  /** The stream `res` holds `lease` until it closes. */
  hold(lease: string, res: ServerResponse): void {
    this.#holders.set(lease, (this.#holders.get(lease) ?? 0) + 1);
    res.once('close', () => this.#release(lease));
  }

  /** Whether an open stream holds `lease`. */
  holds(lease: string): boolean {
    return this.#holders.has(lease);
  }

  /** Ties attachment `name` to `lease`; false (nothing tied) when no stream holds it any more. */
  add(lease: string, name: string): boolean {
    if (!this.holds(lease)) return false;
    let names = this.#names.get(lease);
    if (names === undefined) this.#names.set(lease, (names = new Set()));
    names.add(name);
    return true;
  }

  /** Unties `name` (removed by a request): a later attachment of that name is not the lease's. */
  forget(name: string): void {
    for (const names of this.#names.values()) names.delete(name);
  }

  #release(lease: string): void {
    const left = (this.#holders.get(lease) ?? 1) - 1;
    if (left > 0) {
      this.#holders.set(lease, left);
      return;
    }
    this.#holders.delete(lease);
    const names = this.#names.get(lease);
    this.#names.delete(lease);
    for (const name of names ?? []) void this.#remove(name).catch(() => {});
  }
}
