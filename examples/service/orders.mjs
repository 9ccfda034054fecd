// Order storage (ES module): one JSON file per order in a data directory, written asynchronously.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Stores orders as files; ids are sequential so runs are reproducible. */
export class OrderStore {
  #dir;
  #next = 1;

  constructor(dir) {
    this.#dir = dir;
  }

  /** Writes the order and returns it with its id. */
  async place(order) {
    await mkdir(this.#dir, { recursive: true });
    const id = `o${String(this.#next++).padStart(4, '0')}`;
    const stored = { id, ...order };
    await writeFile(join(this.#dir, `${id}.json`), JSON.stringify(stored));
    return stored;
  }

  /** Reads an order back, or undefined. */
  async get(id) {
    try {
      return JSON.parse(await readFile(join(this.#dir, `${id}.json`), 'utf8'));
    } catch {
      return undefined;
    }
  }

  /** How many orders are stored. */
  async count() {
    try {
      return (await readdir(this.#dir)).filter((f) => f.endsWith('.json')).length;
    } catch {
      return 0;
    }
  }
}
