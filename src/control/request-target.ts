import { HookError } from '../core/errors.ts';

/**
 * The URL of a request's target (`req.url`), for its path and query. An origin-form target is read
 * as the path it is: `//api/agents` is the path `//api/agents`, not the host "api" of a
 * scheme-relative URL with the path `/agents` (what `new URL(target, base)` makes of it). Dot
 * segments are resolved as URLs resolve them. Throws ERR_INVALID_ARG for a target that is not a URL.
 */
export function requestUrl(target = '/'): URL {
  try {
    return target.startsWith('/') ? new URL(`http://request${target}`) : new URL(target, 'http://request/');
  } catch {
    throw new HookError('ERR_INVALID_ARG', `the request target ${JSON.stringify(target)} is not a URL path`);
  }
}
