// Three copies of one function for bench/probe-breakpoint.bench.ts: a breakpoint is set on a line
// of `lined` only, so the others' calls never meet it. Line numbers matter (the bench names line 10).
const table = Int32Array.from({ length: 64 }, (_, i) => Math.imul(i + 1, 0x9e3779b1));
function plain(i, h) {
  for (let k = 0; k < 8; k++) h = Math.imul(h ^ table[(i + k) & 63], 0x01000193);
  return h & 0x3fffffff;
}
function lined(i, h) {
  // The breakpoint probe's line (10) is the first statement of the body, right below.
  for (let k = 0; k < 8; k++) h = Math.imul(h ^ table[(i + k) & 63], 0x01000193);
  return h & 0x3fffffff;
}
function wrapped(i, h) {
  for (let k = 0; k < 8; k++) h = Math.imul(h ^ table[(i + k) & 63], 0x01000193);
  return h & 0x3fffffff;
}
module.exports = { plain: { work: plain }, lined: { work: lined }, wrapped: { work: wrapped } };
