/**
 * Whether a loopback port can be listened on now: `hookwire run --metrics 127.0.0.1:9464` or
 * `--control tcp:PORT` on a port another program holds is refused before the program starts,
 * instead of the agent starting without it. (A port taken between this check and the agent's
 * listen is still reported by the agent.) Port 0 (any free port) is not checked.
 */
export function portInUse(host: string, port: number): Promise<string | undefined> {
  if (port === 0) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const server = process.getBuiltinModule('node:net').createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? String(error)));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}
