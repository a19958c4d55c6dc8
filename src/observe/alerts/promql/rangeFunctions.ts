// The functions over a range vector, per series over its samples in the left-open window
// (t − range, t], as Prometheus 3 (promql/functions.go) computes them for float samples: increase(),
// rate() and delta() by extrapolatedRate (extrapolated to the window's edges when the samples reach
// within 1.1 average intervals of them, else by half an interval, and for counters never back past
// their extrapolated zero; counter resets add the value before the drop), irate()/idelta() from the
// last two samples, deriv()/predict_linear() by least squares with Kahan sums, and the
// *_over_time aggregations. null: no value (too few samples). Leaves out native histograms.
import { kahanInc, kahanMean, quantileOf } from "./values.ts";

/**
 * Prometheus' extrapolatedRate for floats: `samples` samples in the window, the first and last at
 * (firstT, firstV) and (lastT, lastV), `increase` their difference with counter resets corrected.
 * Mirrors its float path operation by operation, so results match Prometheus' bit for bit.
 */
export function extrapolated(
  firstT: number,
  firstV: number,
  lastT: number,
  increase: number,
  samples: number,
  rangeStartMs: number,
  rangeEndMs: number,
  isCounter: boolean,
  isRate: boolean,
): number | null {
  if (samples < 2) return null;
  let result = increase;
  let durationToStart = (firstT - rangeStartMs) / 1000;
  let durationToEnd = (rangeEndMs - lastT) / 1000;
  const sampledInterval = (lastT - firstT) / 1000;
  const averageDurationBetweenSamples = sampledInterval / (samples - 1);
  const extrapolationThreshold = averageDurationBetweenSamples * 1.1;
  if (durationToStart >= extrapolationThreshold)
    durationToStart = averageDurationBetweenSamples / 2;
  // A counter cannot be negative: extrapolate back no further than its zero point.
  if (isCounter) {
    let durationToZero = durationToStart;
    if (result > 0 && firstV >= 0) durationToZero = sampledInterval * (firstV / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  if (durationToEnd >= extrapolationThreshold) durationToEnd = averageDurationBetweenSamples / 2;
  let factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
  if (isRate) factor /= (rangeEndMs - rangeStartMs) / 1000;
  result *= factor;
  return result;
}

/** rate()/increase()/delta() of one series' samples in (rangeStart, rangeEnd]. */
export function extrapolatedOf(
  timesMs: readonly number[],
  values: readonly number[],
  rangeStartMs: number,
  rangeEndMs: number,
  isCounter: boolean,
  isRate: boolean,
): number | null {
  const n = values.length;
  if (n < 2) return null;
  let increase = values[n - 1] - values[0];
  if (isCounter)
    for (let i = 1; i < n; i++) if (values[i] < values[i - 1]) increase += values[i - 1];
  return extrapolated(
    timesMs[0],
    values[0],
    timesMs[n - 1],
    increase,
    n,
    rangeStartMs,
    rangeEndMs,
    isCounter,
    isRate,
  );
}

/** irate() (per second, a drop read as a reset) and idelta() from the last two samples. */
export function instantValue(
  timesMs: readonly number[],
  values: readonly number[],
  isRate: boolean,
): number | null {
  const n = values.length;
  if (n < 2) return null;
  const last = values[n - 1];
  const previous = values[n - 2];
  let result = isRate && last < previous ? last : last - previous;
  if (isRate) {
    const interval = timesMs[n - 1] - timesMs[n - 2];
    if (interval === 0) return null;
    result /= interval / 1000;
  }
  return result;
}

/** Prometheus' linearRegression: slope per second and the value at `interceptMs`. */
export function linearRegression(
  timesMs: readonly number[],
  values: readonly number[],
  interceptMs: number,
): [slope: number, intercept: number] {
  let n = 0;
  let sumX = 0;
  let cX = 0;
  let sumY = 0;
  let cY = 0;
  let sumXY = 0;
  let cXY = 0;
  let sumX2 = 0;
  let cX2 = 0;
  const initY = values[0];
  let constY = true;
  for (let i = 0; i < values.length; i++) {
    const y = values[i];
    if (constY && i > 0 && y !== initY) constY = false;
    n += 1;
    const x = (timesMs[i] - interceptMs) / 1e3;
    [sumX, cX] = kahanInc(x, sumX, cX);
    [sumY, cY] = kahanInc(y, sumY, cY);
    [sumXY, cXY] = kahanInc(x * y, sumXY, cXY);
    [sumX2, cX2] = kahanInc(x * x, sumX2, cX2);
  }
  if (constY) {
    if (!Number.isFinite(initY) && !Number.isNaN(initY)) return [NaN, NaN];
    return [0, initY];
  }
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  const intercept = sumY / n - (slope * sumX) / n;
  return [slope, intercept];
}

/** Kahan sum of the values (Prometheus' sum_over_time). */
export function sumOf(values: readonly number[]): number {
  let sum = 0;
  let c = 0;
  for (const v of values) [sum, c] = kahanInc(v, sum, c);
  return sum + c;
}

/**
 * avg_over_time: the Kahan sum over the count, switching to an incremental mean if the sum would
 * overflow (Prometheus 3's funcAvgOverTime); null when there are no samples.
 */
export function averageOf(values: readonly number[]): number | null {
  return values.length === 0 ? null : kahanMean(values);
}

/** max_over_time / min_over_time: NaN only when all are (Prometheus' rule); null when empty. */
export function extremeOf(values: readonly number[], max: boolean): number | null {
  if (values.length === 0) return null;
  let best = values[0];
  for (const v of values) {
    if (max ? v > best || Number.isNaN(best) : v < best || Number.isNaN(best)) best = v;
  }
  return best;
}

/** stdvar_over_time (population variance, Welford with Kahan sums as Prometheus does). */
export function varianceOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let count = 0;
  let mean = 0;
  let cMean = 0;
  let aux = 0;
  let cAux = 0;
  for (const v of values) {
    count++;
    const delta = v - (mean + cMean);
    [mean, cMean] = kahanInc(delta / count, mean, cMean);
    const newDelta = v - (mean + cMean);
    [aux, cAux] = kahanInc(delta * newDelta, aux, cAux);
  }
  return (aux + cAux) / count;
}

/** changes(): how often the value changed (NaN to NaN is no change). */
export function changesOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let changes = 0;
  for (let i = 1; i < values.length; i++) {
    const a = values[i - 1];
    const b = values[i];
    if (a !== b && !(Number.isNaN(a) && Number.isNaN(b))) changes++;
  }
  return changes;
}

/** resets(): how often the value dropped. */
export function resetsOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let resets = 0;
  for (let i = 1; i < values.length; i++) if (values[i] < values[i - 1]) resets++;
  return resets;
}

export { quantileOf };
