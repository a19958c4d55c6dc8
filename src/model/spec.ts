// The model's own settings, as the loader hands them over typed and defaulted: the network's
// latencies, and per service its instances (grouped by version), their queueing station (worker
// slots, queue, threading, key cache) and its operations with their call graphs. Times are
// simulated ms; arrays keep the file's order. Mesh, control-plane and load settings live in their
// own rooms' spec.ts; scenario/types.ts gathers them all.
import type { Distribution } from "../kernel/distribution.ts";
import type { WarmupSpec } from "./warmup.ts";

export type { WarmupSpec } from "./warmup.ts";

export interface NetworkSpec {
  /** One-way latency of every hop, applied on the request and again on the response. */
  latency: Distribution;
  /** Added one-way latency when caller and instance are in different zones. */
  crossZoneLatency: Distribution;
  /** Added one-way latency, instead of the cross-zone one, when they are in different regions. */
  crossRegionLatency: Distribution;
  /** The region of each zone that has one (scenario `regions`); a zone in none is in region "". */
  regions: ReadonlyMap<string, string>;
}

export type Threading = "blocking" | "async";

/** A service as the model runs it (the part of the scenario's ServiceSpec that model/ reads). */
export interface ServiceModelSpec {
  name: string;
  /** Total instances: the sum over versions. */
  instances: number;
  /**
   * Groups of instances with their own labels, weight and speed (like one Deployment per version).
   */
  versions: VersionSpec[];
  /** Worker slots per instance (the c of M/M/c). */
  concurrency: number;
  /** Waiting room per instance; Infinity when unbounded. A full queue rejects with 503. */
  queueCapacity: number;
  /** blocking: a slot is held while waiting on downstream calls; async: it is released. */
  threading: Threading;
  /** Zones the instances are spread over, instance i in zones[i mod zones.length]. */
  zones: string[];
  /** Istio subzones the instances are spread over the same way (instance i in subzones[i mod n]); empty: none. */
  subzones: string[];
  operations: OperationSpec[];
  /** Per-instance LRU cache of request keys, or null: a hit is served with `hitServiceTime`. */
  cache: CacheSpec | null;
  /** Cold starts of pods started during the run (`lifecycle.warmup`), or null: a new pod is fast at once. */
  warmup: WarmupSpec | null;
}

export interface VersionSpec {
  name: string;
  instances: number;
  /** Labels that DestinationRule subsets select on; always includes `version: <name>`. */
  labels: Record<string, string>;
  /** Envoy load_balancing_weight of each instance (>= 1). */
  weight: number;
  /** Service times of these instances are multiplied by this (3 = a slow, noisy-neighbour host). */
  serviceTimeFactor: number;
}

export interface CacheSpec {
  capacity: number;
  hitServiceTime: Distribution;
}

export interface OperationSpec {
  name: string;
  serviceTime: Distribution;
  /** Probability in [0, 1] that the operation answers 500 after its service time. */
  errorRate: number;
  /** Downstream calls, run in order after the service time. */
  calls: CallStep[];
  /**
   * A call its caller cancels while it runs: `finish` runs it to the end (a server that ignores its
   * request's context), `abort` stops it at once and frees the worker (Go's context, gRPC
   * cancellation, a cancelled database statement).
   */
  onCancel: CancelPolicy;
  /**
   * Fraction of the service time after which the work's effects are committed: an aborted call past
   * it has applied them, one before it has not.
   */
  commitPoint: number;
}

export type CancelPolicy = "finish" | "abort";

export interface OperationRef {
  service: string;
  operation: string;
}

export type CallStep =
  | { kind: "call"; target: OperationRef; probability: number }
  | { kind: "parallel"; steps: CallStep[]; probability: number };
