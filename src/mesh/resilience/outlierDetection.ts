// Passive health checking of one upstream cluster as one proxy sees it: Envoy's outlier detector
// (source/common/upstream/outlier_detection_impl.cc, default non-split mode) under Istio's names and
// defaults (gateway errors and success-rate ejection off). Left out: split local-origin counters,
// ejection-time jitter, un-ejection by active health checks, host-set changes (build a new detector).
//
// Rules kept from Envoy, each easy to get wrong:
// - Consecutive counters fire when they *equal* the threshold (0 never fires). After each attempt
//   the fired counter restarts, even when the max-% cap refused the ejection. An ejected host's
//   answers still count, but a counter reaching the threshold while ejected does nothing. Every
//   counter restarts when the host returns.
// - The cap (after PR #27909): eject only if 100 × (ejected + 1) / hosts <= maxEjectionPercent, or
//   if alwaysEjectOneHost is set and nothing is ejected yet. So 5 hosts at 10% eject nobody.
// - The multiplier m grows by one per ejection while m × base < max + base. The ejection lasts
//   min(base × m, max). A host returns on the first interval tick at least that long after its
//   ejection. m drops by one at every tick at least one interval after its return while it stays
//   in service. Here max means max(baseEjectionTimeMs, maxEjectionTimeMs), which is Envoy's default
//   for an unset max. Envoy rejects an explicit max below base, and a defaulted config cannot tell
//   the two apart.
// - A tick un-ejects first, then runs success-rate and failure-percentage detection on the hosts
//   in service, using the answers of the interval that just ended. It walks hosts from the lowest
//   index, which decides who is ejected when the cap binds (Envoy's host-map order is unspecified).
//   It skips a host that success rate has just ejected, where Envoy would eject it twice.
// - Enforcement percentages between 0 and 100 replace Envoy's random draw with a fixed spread: of
//   every 100 detections that pass the cap, exactly p are enforced, evenly spaced.
import { ENVOY_OVERPROVISIONING_FACTOR } from "../locality/priority.ts";

export interface OutlierDetectionConfig {
  /** Consecutive answers with status 500-599 before an ejection (Envoy `consecutive_5xx`); 0 = off. */
  consecutive5xxErrors: number;
  /** Consecutive 502/503/504 before an ejection (Envoy `consecutive_gateway_failure`); 0 = off. */
  consecutiveGatewayErrors: number;
  /** Time between ticks of the interval timer, which the caller drives. */
  intervalMs: number;
  baseEjectionTimeMs: number;
  maxEjectionTimeMs: number;
  /** Integer in [0, 100]. */
  maxEjectionPercent: number;
  alwaysEjectOneHost: boolean;
  successRateMinimumHosts: number;
  successRateRequestVolume: number;
  /** Thousandths of a standard deviation: 1900 means mean − 1.9 × stdev. */
  successRateStdevFactor: number;
  /** Percentage of detected success-rate outliers that are ejected; Istio forces 0. */
  enforcingSuccessRate: number;
  /** A host whose failure percentage is at least this is ejected. */
  failurePercentageThreshold: number;
  enforcingFailurePercentage: number;
  failurePercentageMinimumHosts: number;
  failurePercentageRequestVolume: number;
}

/** Called when a host is ejected (`ejected` true) or returned to service (`ejected` false). */
export type EjectionListener = (atMs: number, host: number, ejected: boolean) => void;

/** Why a host is an outlier; each kind has its own enforcement percentage (index into `enforcing`). */
const Detection = {
  Consecutive5xx: 0,
  ConsecutiveGateway: 1,
  SuccessRate: 2,
  FailurePercentage: 3,
} as const;
type Detection = (typeof Detection)[keyof typeof Detection];

export class OutlierDetector {
  /** Per-host ejected flags (1 = ejected), read by the proxy to build the healthy set. */
  readonly ejected: Uint8Array;
  private readonly config: OutlierDetectionConfig;
  private readonly maxEjectionTimeMs: number;
  private readonly enforcing: readonly number[];
  private readonly detections = [0, 0, 0, 0];
  private ejectedTotal = 0;
  private lastNowMs = -Infinity;
  private readonly consecutive5xx: Uint32Array;
  private readonly consecutiveGateway: Uint32Array;
  private readonly multiplier: Uint32Array;
  private readonly ejectedAtMs: Float64Array;
  /** NaN until the host first returns from an ejection. */
  private readonly returnedAtMs: Float64Array;
  private readonly intervalAnswers: Uint32Array;
  private readonly intervalSuccesses: Uint32Array;

  constructor(
    readonly hostCount: number,
    config: OutlierDetectionConfig,
    private readonly onChange: EjectionListener,
  ) {
    if (!Number.isInteger(hostCount) || hostCount < 0) {
      throw new RangeError(`outlier detection hostCount must be an integer >= 0, got ${hostCount}`);
    }
    validateOutlierDetectionConfig(config);
    this.config = { ...config };
    this.maxEjectionTimeMs = Math.max(config.baseEjectionTimeMs, config.maxEjectionTimeMs);
    this.enforcing = [100, 100, config.enforcingSuccessRate, config.enforcingFailurePercentage];
    this.ejected = new Uint8Array(hostCount);
    this.consecutive5xx = new Uint32Array(hostCount);
    this.consecutiveGateway = new Uint32Array(hostCount);
    this.multiplier = new Uint32Array(hostCount);
    this.ejectedAtMs = new Float64Array(hostCount);
    this.returnedAtMs = new Float64Array(hostCount).fill(Number.NaN);
    this.intervalAnswers = new Uint32Array(hostCount);
    this.intervalSuccesses = new Uint32Array(hostCount);
  }

  ejectedCount(): number {
    return this.ejectedTotal;
  }

  /**
   * An answer from `host` with HTTP status 100-599. Local-origin failures come mapped as Envoy's
   * default mode maps them: connect failure 503, timeout 504. Consecutive-error ejection happens
   * here, inline.
   */
  onResult(nowMs: number, host: number, status: number): void {
    this.advanceClock(nowMs);
    if (!Number.isInteger(host) || host < 0 || host >= this.hostCount) {
      throw new RangeError(
        `outlier detection host must be an integer in [0, ${this.hostCount}), got ${host}`,
      );
    }
    if (!Number.isInteger(status) || status < 100 || status > 599) {
      throw new RangeError(
        `outlier detection status must be an HTTP status in [100, 599], got ${status}`,
      );
    }
    this.intervalAnswers[host]++;
    if (status < 500) {
      this.intervalSuccesses[host]++;
      this.consecutive5xx[host] = 0;
      this.consecutiveGateway[host] = 0;
      return;
    }
    // Envoy's order: the gateway counter first, then the 5xx counter. A 500 breaks a gateway run.
    if (status >= 502 && status <= 504) {
      if (++this.consecutiveGateway[host] === this.config.consecutiveGatewayErrors) {
        this.onConsecutive(nowMs, host, Detection.ConsecutiveGateway, this.consecutiveGateway);
      }
    } else {
      this.consecutiveGateway[host] = 0;
    }
    if (++this.consecutive5xx[host] === this.config.consecutive5xxErrors) {
      this.onConsecutive(nowMs, host, Detection.Consecutive5xx, this.consecutive5xx);
    }
  }

  /**
   * The interval timer, every intervalMs. In order: returns hosts whose ejection is over, runs
   * success-rate and failure-percentage detection on this interval's answers, clears those counts,
   * and lowers the multiplier of hosts in service for at least an interval since their return.
   */
  onInterval(nowMs: number): void {
    this.advanceClock(nowMs);
    for (let h = 0; h < this.hostCount; h++) {
      if (this.ejected[h] === 1 && this.ejectionTimeMs(h) <= nowMs - this.ejectedAtMs[h])
        this.unEject(nowMs, h);
    }
    this.detectStatisticalOutliers(nowMs);
    this.intervalAnswers.fill(0);
    this.intervalSuccesses.fill(0);
    for (let h = 0; h < this.hostCount; h++) {
      // NaN (never returned) compares false, so a host never ejected keeps multiplier 0.
      if (
        this.ejected[h] === 0 &&
        nowMs - this.returnedAtMs[h] >= this.config.intervalMs &&
        this.multiplier[h] > 0
      ) {
        this.multiplier[h]--;
      }
    }
  }

  private ejectionTimeMs(host: number): number {
    return Math.min(this.config.baseEjectionTimeMs * this.multiplier[host], this.maxEjectionTimeMs);
  }

  /** Envoy posts the event and checks again: an ejected host is left alone, its counter is not reset. */
  private onConsecutive(nowMs: number, host: number, kind: Detection, counter: Uint32Array): void {
    if (this.ejected[host] === 1) return;
    this.tryEject(nowMs, host, kind);
    counter[host] = 0;
  }

  private tryEject(nowMs: number, host: number, kind: Detection): void {
    const { maxEjectionPercent, alwaysEjectOneHost, baseEjectionTimeMs } = this.config;
    const withinCap = (100 * (this.ejectedTotal + 1)) / this.hostCount <= maxEjectionPercent;
    if (!withinCap && !(alwaysEjectOneHost && this.ejectedTotal === 0)) return;
    if (!this.enforced(kind)) return;
    this.ejected[host] = 1;
    this.ejectedTotal++;
    this.ejectedAtMs[host] = nowMs;
    if (this.multiplier[host] * baseEjectionTimeMs < this.maxEjectionTimeMs + baseEjectionTimeMs)
      this.multiplier[host]++;
    this.onChange(nowMs, host, true);
  }

  /** The k-th detection of a kind is enforced when floor(k·p/100) steps up: p of every 100, spread evenly. */
  private enforced(kind: Detection): boolean {
    const p = this.enforcing[kind];
    const k = ++this.detections[kind];
    return Math.floor((k * p) / 100) > Math.floor(((k - 1) * p) / 100);
  }

  private unEject(nowMs: number, host: number): void {
    this.ejected[host] = 0;
    this.ejectedTotal--;
    this.consecutive5xx[host] = 0;
    this.consecutiveGateway[host] = 0;
    this.returnedAtMs[host] = nowMs;
    this.onChange(nowMs, host, false);
  }

  private detectStatisticalOutliers(nowMs: number): void {
    const c = this.config;
    if (
      this.hostCount < c.successRateMinimumHosts &&
      this.hostCount < c.failurePercentageMinimumHosts
    )
      return;
    const srHosts: number[] = [];
    const fpHosts: number[] = [];
    const rate = new Float64Array(this.hostCount);
    let rateSum = 0;
    for (let h = 0; h < this.hostCount; h++) {
      const answers = this.intervalAnswers[h];
      if (this.ejected[h] === 1 || answers === 0) continue;
      rate[h] = (this.intervalSuccesses[h] * 100) / answers;
      if (answers >= c.successRateRequestVolume) {
        srHosts.push(h);
        rateSum += rate[h];
      }
      if (answers >= c.failurePercentageRequestVolume) fpHosts.push(h);
    }
    if (srHosts.length > 0 && srHosts.length >= c.successRateMinimumHosts) {
      const threshold = successRateEjectionThreshold(
        srHosts,
        rate,
        rateSum,
        c.successRateStdevFactor / 1000,
      );
      for (const h of srHosts)
        if (rate[h] < threshold) this.tryEject(nowMs, h, Detection.SuccessRate);
    }
    if (fpHosts.length > 0 && fpHosts.length >= c.failurePercentageMinimumHosts) {
      for (const h of fpHosts) {
        if (this.ejected[h] === 0 && 100 - rate[h] >= c.failurePercentageThreshold) {
          this.tryEject(nowMs, h, Detection.FailurePercentage);
        }
      }
    }
  }

  private advanceClock(nowMs: number): void {
    if (!(nowMs >= this.lastNowMs) || !Number.isFinite(nowMs)) {
      throw new RangeError(
        `outlier detection time must be finite and never go back: got ${nowMs} after ${this.lastNowMs}`,
      );
    }
    this.lastNowMs = nowMs;
  }
}

/** mean − factor × stdev over the given hosts' success rates (population stdev, as Envoy). */
function successRateEjectionThreshold(
  hosts: readonly number[],
  rate: Float64Array,
  sum: number,
  factor: number,
): number {
  const mean = sum / hosts.length;
  let variance = 0;
  for (const h of hosts) variance += (rate[h] - mean) * (rate[h] - mean);
  variance /= hosts.length;
  return mean - factor * Math.sqrt(variance);
}

/**
 * Envoy's panic test for a cluster of one priority level: with `healthy` of `total` hosts
 * available, true means the balancer should use all hosts, ejected ones included. Panic means
 * 100 × healthy / total < threshold, so exactly at the threshold is not panic, and threshold 0
 * disables panic. Two more Envoy rules: the threshold is rounded to an integer, and a level whose
 * overprovisioned health floor(factor × healthy / total) reaches 100 (factor 140: at least 5 of
 * 7 hosts healthy) is never in panic, whatever the threshold. No hosts at all is panic if the
 * threshold is above 0.
 */
export function inPanic(
  healthy: number,
  total: number,
  healthyPanicThresholdPercent: number,
  overprovisioningFactor = ENVOY_OVERPROVISIONING_FACTOR,
): boolean {
  if (!Number.isInteger(total) || total < 0)
    throw new RangeError(`inPanic total must be an integer >= 0, got ${total}`);
  if (!Number.isInteger(healthy) || healthy < 0 || healthy > total) {
    throw new RangeError(
      `inPanic healthy must be an integer in [0, total = ${total}], got ${healthy}`,
    );
  }
  if (!(healthyPanicThresholdPercent >= 0 && healthyPanicThresholdPercent <= 100)) {
    throw new RangeError(
      `inPanic healthyPanicThresholdPercent must be in [0, 100], got ${healthyPanicThresholdPercent}`,
    );
  }
  if (!Number.isInteger(overprovisioningFactor) || overprovisioningFactor < 1) {
    throw new RangeError(
      `inPanic overprovisioningFactor must be an integer >= 1, got ${overprovisioningFactor}`,
    );
  }
  const threshold = Math.round(healthyPanicThresholdPercent);
  if (total === 0) return threshold > 0;
  if (Math.floor((overprovisioningFactor * healthy) / total) >= 100) return false;
  return (100 * healthy) / total < threshold;
}

/** Throws a RangeError naming the first field out of range. */
export function validateOutlierDetectionConfig(config: OutlierDetectionConfig): void {
  const counts: (keyof OutlierDetectionConfig)[] = [
    "consecutive5xxErrors",
    "consecutiveGatewayErrors",
    "successRateMinimumHosts",
    "successRateRequestVolume",
    "successRateStdevFactor",
    "failurePercentageMinimumHosts",
    "failurePercentageRequestVolume",
  ];
  for (const key of counts) {
    const v = config[key];
    if (!(typeof v === "number" && Number.isSafeInteger(v) && v >= 0)) {
      throw new RangeError(`outlierDetection.${key} must be an integer >= 0, got ${String(v)}`);
    }
  }
  const percents: (keyof OutlierDetectionConfig)[] = [
    "maxEjectionPercent",
    "enforcingSuccessRate",
    "failurePercentageThreshold",
    "enforcingFailurePercentage",
  ];
  for (const key of percents) {
    const v = config[key];
    if (!(typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 100)) {
      throw new RangeError(
        `outlierDetection.${key} must be an integer percentage in [0, 100], got ${String(v)}`,
      );
    }
  }
  for (const key of ["intervalMs", "baseEjectionTimeMs", "maxEjectionTimeMs"] as const) {
    const v = config[key];
    if (!(typeof v === "number" && v > 0 && Number.isFinite(v))) {
      throw new RangeError(
        `outlierDetection.${key} must be a finite number of ms > 0, got ${String(v)}`,
      );
    }
  }
  if (typeof config.alwaysEjectOneHost !== "boolean") {
    throw new RangeError(
      `outlierDetection.alwaysEjectOneHost must be a boolean, got ${String(config.alwaysEjectOneHost)}`,
    );
  }
}
