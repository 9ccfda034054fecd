/**
 * The environment a benchmark starts a Node process with: this process's, less what would time
 * the machine rather than the program.
 *
 * Node 20 reads NODE_EXTRA_CA_CERTS's whole file at every start (~40 ms for Debian's bundle, as
 * this machine sets it; Node 22 and 24 read it when TLS first needs it). That fixed cost would
 * shrink every start-up ratio while meaning nothing for a program's start under hookwire.
 */
export function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env['NODE_EXTRA_CA_CERTS'];
  return env;
}
