/**
 * The one rule for the `Host` header of hookwire's loopback HTTP servers (`hookwire ui`, `run
 * --metrics`): it must name this server, by its own loopback address or `localhost`, with its
 * port. A page whose DNS name was rebound to 127.0.0.1 sends its own name, and is refused: the
 * browser's same-origin rule then keeps it from reading anything.
 */

/** The `Host` values that name a server listening on loopback `address` (`127.0.0.1`, `::1`) and `port`. */
export function ownHosts(address: string, port: number): ReadonlySet<string> {
  const literal = address.includes(':') ? `[${address}]` : address;
  return new Set([`${literal}:${port}`, `localhost:${port}`]);
}

/** Whether a request's `Host` header is one of `hosts` (names compare case-insensitively). */
export function isOwnHost(hosts: ReadonlySet<string>, host: string | undefined): boolean {
  return host !== undefined && hosts.has(host.toLowerCase());
}
