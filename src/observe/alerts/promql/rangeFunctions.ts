// The range functions over one series' samples in a left-open window (t − range, t], as in
// Prometheus 3. increase() and rate() are Prometheus' extrapolatedRate (promql/functions.go): the
// difference between the last and first sample in the window, extrapolated to the window's edges
// when the samples reach within 1.1 average intervals of them (else by half an interval), and never
// back past the counter's extrapolated zero. So with 15 s scrapes increase(x[1m]) reads 4 samples,
// spanning 45 s, and scales their difference by 60/45. The counter-reset correction is left out:
// no meshsim counter ever decreases. avg/max_over_time are plain, over every sample in the window.

/**
 * Prometheus' increase() of a counter whose first and last samples in the window are
 * (firstT, firstV) and (lastT, lastV), `samples` of them in all; null with fewer than two.
 */
export function extrapolatedIncrease(
  firstT: number,
  firstV: number,
  lastT: number,
  lastV: number,
  samples: number,
  rangeStartMs: number,
  rangeEndMs: number,
): number | null {
  return extrapolated(firstT, firstV, lastT, lastV, samples, rangeStartMs, rangeEndMs, false);
}

/** Prometheus' rate(): the extrapolated increase per second of the range. */
export function extrapolatedRate(
  firstT: number,
  firstV: number,
  lastT: number,
  lastV: number,
  samples: number,
  rangeStartMs: number,
  rangeEndMs: number,
): number | null {
  return extrapolated(firstT, firstV, lastT, lastV, samples, rangeStartMs, rangeEndMs, true);
}

/** Mirrors extrapolatedRate's float path operation by operation, so results match Prometheus' bit for bit. */
function extrapolated(
  firstT: number,
  firstV: number,
  lastT: number,
  lastV: number,
  samples: number,
  rangeStartMs: number,
  rangeEndMs: number,
  isRate: boolean,
): number | null {
  if (samples < 2) return null;
  let result = lastV - firstV;
  let durationToStart = (firstT - rangeStartMs) / 1000;
  let durationToEnd = (rangeEndMs - lastT) / 1000;
  const sampledInterval = (lastT - firstT) / 1000;
  const averageDurationBetweenSamples = sampledInterval / (samples - 1);
  const extrapolationThreshold = averageDurationBetweenSamples * 1.1;
  if (durationToStart >= extrapolationThreshold)
    durationToStart = averageDurationBetweenSamples / 2;
  // A counter cannot be negative: extrapolate back no further than its zero point.
  let durationToZero = durationToStart;
  if (result > 0 && firstV >= 0) durationToZero = sampledInterval * (firstV / result);
  if (durationToZero < durationToStart) durationToStart = durationToZero;
  if (durationToEnd >= extrapolationThreshold) durationToEnd = averageDurationBetweenSamples / 2;
  let factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
  if (isRate) factor /= (rangeEndMs - rangeStartMs) / 1000;
  result *= factor;
  return result;
}

/** avg_over_time: the mean of the samples (null when there are none); NaN if any is NaN. */
export function averageOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** max_over_time: the largest sample, NaN only when all are (Prometheus' rule); null when there are none. */
export function maximumOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let max = values[0];
  for (const v of values) if (v > max || Number.isNaN(max)) max = v;
  return max;
}
