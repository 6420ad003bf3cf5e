// agree.js — when a Monte-Carlo figure of the Xavier lesson agrees with its
// formula: the rule the derivation table and the questions both grade by.

/** A figure agrees with its formula within this many standard errors. */
export const AGREE_SE = 3;
/** Below this relative gap a figure with no spread at all (w² of a
 *  Rademacher weight) agrees: float32 rounding of the draws, not sampling. */
const ROUNDING = 1e-6;

/** {z: |measured − formula| / SE, agree} for measured m ± se against the formula's f. */
export function verdict(m, se, f) {
  const gap = Math.abs(m - f);
  const z = se > 0 ? gap / se : gap <= ROUNDING * Math.abs(f) ? 0 : Infinity;
  return { z, agree: gap <= AGREE_SE * se + ROUNDING * Math.abs(f) };
}
