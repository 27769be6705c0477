/**
 * Reference statistics for tests, written independently of shared/metrics: two-pass means and
 * variances over raw values, the Wilson and Newcombe intervals from their published formulas, and the
 * Student t quantile by numerically integrating the t density (Simpson's rule) and bisecting, so no
 * code or library is shared with the implementation under test.
 */

export const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

export const sampleVariance = (xs: readonly number[]): number => {
  const m = mean(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
};

const logGamma = (x: number): number => {
  // Lanczos approximation (g = 7, n = 9), accurate to ~15 digits for x > 0.
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let a = c[0] ?? 0;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += (c[i] ?? 0) / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
};

const tDensity = (t: number, df: number): number =>
  Math.exp(
    logGamma((df + 1) / 2) -
      logGamma(df / 2) -
      0.5 * Math.log(df * Math.PI) -
      ((df + 1) / 2) * Math.log1p((t * t) / df),
  );

/** P(0 < T < x) by Simpson's rule. */
const halfMass = (x: number, df: number): number => {
  const n = 2000;
  const h = x / n;
  let sum = tDensity(0, df) + tDensity(x, df);
  for (let i = 1; i < n; i++) sum += (i % 2 === 0 ? 2 : 4) * tDensity(i * h, df);
  return (sum * h) / 3;
};

/** The 0.975 quantile of Student's t with `df` degrees of freedom, by bisection on the integrated density. */
export const referenceT975 = (df: number): number => {
  let low = 0;
  let high = 20;
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (halfMass(mid, df) < 0.475) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
};

/** Welch's interval of mean(a) − mean(b) from raw values. */
export const referenceWelch = (a: readonly number[], b: readonly number[]) => {
  const va = sampleVariance(a) / a.length;
  const vb = sampleVariance(b) / b.length;
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  const difference = mean(a) - mean(b);
  const margin = referenceT975(df) * Math.sqrt(va + vb);
  return { difference, low95: difference - margin, high95: difference + margin, df };
};

/** Wilson bounds at the z Yardstick documents (1.96), from Wilson (1927). */
const wilsonBounds = (k: number, n: number, z = 1.96) => {
  const p = k / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return { low: centre - half, high: centre + half };
};

/** Newcombe (1998) method 10 for p1 − p2. */
export const referenceNewcombe = (k1: number, n1: number, k2: number, n2: number) => {
  const p1 = k1 / n1;
  const p2 = k2 / n2;
  const w1 = wilsonBounds(k1, n1);
  const w2 = wilsonBounds(k2, n2);
  const d = p1 - p2;
  return {
    difference: d,
    low95: d - Math.sqrt((p1 - w1.low) ** 2 + (w2.high - p2) ** 2),
    high95: d + Math.sqrt((w1.high - p1) ** 2 + (p2 - w2.low) ** 2),
  };
};
