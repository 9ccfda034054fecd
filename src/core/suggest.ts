/**
 * "Did you mean …?": the one edit-distance rule behind every suggestion hookwire makes (unknown
 * options, misspelt export names). Pure, so any layer may use it.
 */

/** Levenshtein distance between `a` and `b` (insertions, deletions, substitutions), one row at a time. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidate nearest to `word`, if it is near enough to be a likely slip: at most 2 edits,
 * and fewer than half the word's length (so short words do not match anything). Ties go to the
 * first candidate.
 */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.min(2, Math.ceil(word.length / 2) - 1);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const d = editDistance(word, candidate);
    if (d <= limit && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** ` (did you mean \`x\`?)` when a candidate is near `word`, else the empty string. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const near = nearest(word, candidates);
  return near === undefined ? '' : ` (did you mean \`${near}\`?)`;
}
