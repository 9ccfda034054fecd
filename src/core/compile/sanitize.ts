/**
 * A name made safe for a `//` comment in generated code: every character outside a plain name's
 * alphabet (so every line terminator) becomes `?`, and the result is cut to 120 characters. The
 * one rule for every code generator: the core's dispatchers and the probe layer's wrappers.
 */
export function sanitize(name: string): string {
  return name.replace(/[^\w:.#/@$-]/g, '?').slice(0, 120);
}
