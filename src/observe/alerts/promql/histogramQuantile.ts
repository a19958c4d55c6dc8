// histogram_quantile over classic buckets, as Prometheus' BucketQuantile (promql/quantile.go):
// sort by upper bound, force the cumulative counts monotonic (ignoring float noise), find the
// bucket where the rank q·count falls and interpolate linearly inside it (from 0 in the lowest
// bucket); a rank in the +Inf bucket gives the largest finite bound. NaN without observations.

export interface Bucket {
  /** The `le` bound, Infinity for +Inf. */
  upperBound: number;
  /** Cumulative count of observations ≤ upperBound. */
  count: number;
}

const SMALL_DELTA_TOLERANCE = 1e-12;
const MIN_NORMAL = 2.2250738585072014e-308;

export function bucketQuantile(q: number, input: readonly Bucket[]): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  if (input.length === 0) return NaN;
  const buckets = coalesce([...input].sort((a, b) => a.upperBound - b.upperBound));
  if (buckets[buckets.length - 1].upperBound !== Infinity) return NaN;
  ensureMonotonic(buckets);
  if (buckets.length < 2) return NaN;
  const observations = buckets[buckets.length - 1].count;
  if (observations === 0) return NaN;
  let rank = q * observations;
  let b = 0;
  while (b < buckets.length - 1 && !(buckets[b].count >= rank)) b++;
  if (b === buckets.length - 1) return buckets[buckets.length - 2].upperBound;
  if (b === 0 && buckets[0].upperBound <= 0) return buckets[0].upperBound;
  let bucketStart = 0;
  const bucketEnd = buckets[b].upperBound;
  let count = buckets[b].count;
  if (b > 0) {
    bucketStart = buckets[b - 1].upperBound;
    count -= buckets[b - 1].count;
    rank -= buckets[b - 1].count;
  }
  return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}

/** Buckets with the same bound (from differently labelled series) add up. */
function coalesce(sorted: Bucket[]): Bucket[] {
  const out: Bucket[] = [];
  for (const bucket of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && last.upperBound === bucket.upperBound) last.count += bucket.count;
    else out.push({ ...bucket });
  }
  return out;
}

/** Prometheus' ensureMonotonicAndIgnoreSmallDeltas: a decrease (or float noise) takes the previous count. */
function ensureMonotonic(buckets: Bucket[]): void {
  let prev = buckets[0].count;
  for (let i = 1; i < buckets.length; i++) {
    const curr = buckets[i].count;
    if (curr === prev) continue;
    if (almostEqual(prev, curr, SMALL_DELTA_TOLERANCE) || curr < prev) {
      buckets[i].count = prev;
      continue;
    }
    prev = curr;
  }
}

function almostEqual(a: number, b: number, epsilon: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < MIN_NORMAL) return diff < epsilon * MIN_NORMAL;
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}
