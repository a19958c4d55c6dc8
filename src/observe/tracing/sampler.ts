// Head sampling: the decision an OpenTelemetry SDK takes when a trace starts. TraceIdRatioBased
// follows the OTel specification's consistent-probability form: the low 56 bits of the trace id
// are its randomness R, and a trace is sampled when R >= T, where T = 2^56 - round(ratio · 2^56)
// (so exactly round(ratio · 2^56) of the 2^56 values of R are sampled). A higher ratio lowers T,
// so its sample is a superset of a lower ratio's. The parent-based samplers follow their root
// sampler, which is all there is here: every trace starts at a load client, with no parent.
// Leaves out the tracestate `th` threshold propagation (every hop shares one decision anyway).
import type { TracingSampler } from "../spec.ts";
import type { TraceId, TraceIdSource } from "./traceIds.ts";

export interface HeadSampler {
  sampled(id: TraceId): boolean;
  /**
   * The same decision for the trace of request `requestId` in `ids`, reading the id's low 32 random
   * bits only when the top 24 do not decide (one request in 2^24 at a ratio like 0.01).
   */
  sampledRequest(ids: TraceIdSource, requestId: number): boolean;
}

const ALWAYS: HeadSampler = {
  sampled: () => true,
  sampledRequest: () => true,
};
const NEVER: HeadSampler = {
  sampled: () => false,
  sampledRequest: () => false,
};

export function createHeadSampler(sampler: TracingSampler, ratio: number): HeadSampler {
  switch (sampler) {
    case "always_on":
    case "parentbased_always_on":
      return ALWAYS;
    case "always_off":
    case "parentbased_always_off":
      return NEVER;
    case "traceidratio":
    case "parentbased_traceidratio":
      return new TraceIdRatio(ratio);
  }
}

/** OTel TraceIdRatioBased over the trace id's low 56 bits, compared exactly as (high 24, low 32) bits. */
export class TraceIdRatio implements HeadSampler {
  private readonly thresholdHigh: number;
  private readonly thresholdLow: number;

  constructor(readonly ratio: number) {
    if (!(ratio >= 0 && ratio <= 1)) throw new RangeError(`ratio must be in [0, 1], got ${ratio}`);
    // ratio · 2^56 is exact (a power-of-two scaling); below 2^53 it may have a fraction to round.
    const threshold = 2n ** 56n - BigInt(Math.round(ratio * 2 ** 56));
    this.thresholdHigh = Number(threshold >> 32n);
    this.thresholdLow = Number(threshold & 0xffffffffn);
  }

  sampled(id: TraceId): boolean {
    return this.sampledRandom(id.randomHigh, id.randomLow);
  }

  sampledRequest(ids: TraceIdSource, requestId: number): boolean {
    const high = ids.randomHighOf(requestId);
    if (high !== this.thresholdHigh) return high > this.thresholdHigh;
    return ids.randomLowOf(requestId) >= this.thresholdLow;
  }

  /** The same decision from the id's random bits: its top 24 (randomHigh) and low 32 (randomLow). */
  sampledRandom(randomHigh: number, randomLow: number): boolean {
    return (
      randomHigh > this.thresholdHigh ||
      (randomHigh === this.thresholdHigh && randomLow >= this.thresholdLow)
    );
  }
}
