// stats.js — the order statistics both benchmarks report.

/** Median of xs (the mean of the two middle values for an even count); null if empty. */
export function median(xs) {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** The q-quantile of xs by nearest rank (q = 0.95: the smallest value ≥ 95% of them); null if empty. */
export function quantile(xs, q) {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

/** Median over rounds 0..rounds−1 of f(round): a ratio taken within each round, then summarised. */
export function pairedMedian(rounds, f) {
  return median(Array.from({ length: rounds }, (_, r) => f(r)));
}
