// The example's own workload, loaded from examples/ (plain JavaScript) with types for the tests.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { root } from './helpers.ts';

/** One answer of the service. */
export interface ShopAnswer {
  method: string;
  path: string;
  status: number;
  body: string;
}

const mod = (await import(pathToFileURL(join(root, 'examples/service/workload.mjs')).href)) as {
  drive(port: number, rounds?: number): Promise<ShopAnswer[]>;
  WORKLOAD: [string, string, unknown?][];
};

/** Runs the fixed workload against the service on `port`. */
export const drive = mod.drive;
/** The workload's requests. */
export const WORKLOAD = mod.WORKLOAD;
