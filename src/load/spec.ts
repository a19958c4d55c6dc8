// The load generators' own settings, as the loader hands them over typed and defaulted: k6's four
// executors (constant and ramping arrival rate, constant and ramping VUs) with their stages, the
// client proxies and zone each load sends from, and the key and header-like attributes each
// request carries. Rates are per simulated ms; times are simulated ms.
import type { Distribution } from "../kernel/distribution.ts";
import type { OperationRef } from "../model/spec.ts";

export type ArrivalProcess = "poisson" | "uniform";

/** A k6-style stage: move linearly to `target` over `durationMs`. */
export interface Stage {
  durationMs: number;
  target: number;
}

interface LoadCommon {
  name: string;
  target: OperationRef;
  startTimeMs: number;
  /** How long the executor runs; by default until the end of the run. */
  durationMs: number;
  /** Independent client proxies sharing this load. */
  clients: number;
  /** The zone the clients run in, or null for clients outside every zone (no cross-zone cost). */
  zone: string | null;
  /** The key each request carries (what hashing balancers hash and caches store), or null. */
  keys: KeySpec | null;
  /**
   * Header-like attributes drawn per request (e.g. tier: vip 10%), seen by routing rules on every
   * hop.
   */
  attributes: AttributeSpec[];
}

export interface AttributeSpec {
  name: string;
  /** Values and their probabilities, summing to 1. */
  values: { value: string; probability: number }[];
}

export interface KeySpec {
  /** The key's name, e.g. userId: what a hashing policy's `hashKey` refers to. */
  name: string;
  count: number;
  distribution: { kind: "uniform" } | { kind: "zipf"; exponent: number };
}

export type LoadSpec =
  | (LoadCommon & { executor: "constant-arrival-rate"; ratePerMs: number; arrival: ArrivalProcess })
  | (LoadCommon & {
      executor: "ramping-arrival-rate";
      /** Rates are per millisecond; stage targets too. */
      startRatePerMs: number;
      stages: Stage[];
      arrival: ArrivalProcess;
    })
  | (LoadCommon & { executor: "constant-vus"; vus: number; thinkTime: Distribution })
  | (LoadCommon & {
      executor: "ramping-vus";
      startVUs: number;
      stages: Stage[];
      thinkTime: Distribution;
    });
