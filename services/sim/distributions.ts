// Random variates for the workload and the population, all drawn from an
// injected uniform generator so a seed fixes them.

/** Zipf over ranks 0..n-1 with exponent alpha: P(k) ∝ 1/(k+1)^alpha. Sampling is a binary search in the CDF. */
export function zipfSampler(n: number, alpha: number, random: () => number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) cdf[k] = sum += 1 / (k + 1) ** alpha;
  return () => {
    const u = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** Pareto with the given mean and shape alpha > 1 (heavy tail; alpha 1.5 fits measured P2P session times). */
export function pareto(mean: number, alpha: number, random: () => number): number {
  const xm = (mean * (alpha - 1)) / alpha;
  return xm / Math.pow(1 - random(), 1 / alpha);
}

/** Weibull with scale lambda and shape k (k < 1 is heavy-tailed). */
export function weibull(lambda: number, k: number, random: () => number): number {
  return lambda * Math.pow(-Math.log(1 - random()), 1 / k);
}

export function exponential(mean: number, random: () => number): number {
  return -mean * Math.log(1 - random());
}

/** Fisher–Yates in place. */
export function shuffle<T>(xs: T[], random: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}
