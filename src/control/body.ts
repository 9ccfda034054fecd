import type { IncomingMessage } from 'node:http';
import { HookError } from '../core/errors.ts';

/** The default limit of a request body: 64 KiB. */
export const BODY_LIMIT = 64 * 1024;

/**
 * Reads a JSON request body of at most `limit` bytes. An empty body reads as `{}`. Oversize
 * bodies are ERR_BODY_TOO_LARGE (refused from Content-Length before reading when it is given),
 * anything that is not JSON is ERR_INVALID_JSON.
 */
export function readJsonBody(req: IncomingMessage, limit: number = BODY_LIMIT): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > limit) {
      reject(new HookError('ERR_BODY_TOO_LARGE', `the request body is larger than ${limit} bytes`));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        reject(new HookError('ERR_BODY_TOO_LARGE', `the request body is larger than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      const text = Buffer.concat(chunks).toString('utf8').trim();
      if (text === '') {
        resolve({});
        return;
      }
      try {
        resolve(JSON.parse(text));
      } catch (error) {
        reject(new HookError('ERR_INVALID_JSON', `the request body is not JSON: ${(error as Error).message}`));
      }
    });
    req.on('error', (error) => {
      if (done) return;
      done = true;
      reject(new HookError('ERR_INVALID_JSON', `the request body could not be read: ${error.message}`));
    });
  });
}
