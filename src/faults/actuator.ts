// What the fault timeline can do to the running model: the verbs of Chaos Mesh, Istio fault
// injection and Toxiproxy, each paired with its exact undo. The timeline (timeline.ts) decides
// when and to what; the model (instances, network, proxies) implements the verbs. Every verb that
// lasts returns its undo, so a fault that ends is reverted exactly, even when faults overlap.
import type { Distribution } from "../kernel/distribution.ts";
import type { Instance } from "../model/instance.ts";

/** Where a delay or abort applies: inbound at some instances, or on the calls of one edge. */
export type TrafficScope =
  | { kind: "instances"; instances: readonly Instance[] }
  /** Calls from `from` (a service name, or `load:<name>` for a load's clients) to service `to`. */
  | { kind: "edge"; from: string; to: string };

export interface DelayRule {
  scope: TrafficScope;
  /** Added one-way delay on the request leg (Istio fixedDelay; Toxiproxy latency ± jitter). */
  delay: Distribution;
  /** Share of calls delayed, 0..100 (decided per call from the request's keyed draws). */
  percentage: number;
}

export interface AbortRule {
  scope: TrafficScope;
  /** The HTTP status the aborted calls get at once (e.g. 503). */
  httpStatus: number;
  /** Share of calls aborted, 0..100. */
  percentage: number;
}

/** Two sides that cannot reach each other; calls across fail with connect-failure after the connect timeout. */
export interface PartitionRule {
  /** Zones, or instances, on one side. A proxy is on a side when its zone (or its instance) is. */
  sideA: PartitionSide;
  /** The other side; null means everything not on side A. */
  sideB: PartitionSide | null;
}

export interface PartitionSide {
  zones: readonly string[];
  instances: readonly Instance[];
}

export type Undo = () => void;

export interface FaultActuator {
  /**
   * pod-kill: the instance dies now; its queued and running calls fail (reset); new calls to it
   * fail to connect. `revived` is called if something else (the kubelet) starts it again.
   */
  kill(instance: Instance, revived?: () => void): void;
  /** The killed instance comes back, empty and ready. */
  restart(instance: Instance): void;
  /** pod-failure: the instance stays up but answers nothing (its calls fail as with kill) until undone. */
  fail(instance: Instance): Undo;
  /** cpu-stress: the instance's service times are multiplied by `factor` until undone (factors multiply). */
  stress(instance: Instance, factor: number): Undo;
  delay(rule: DelayRule): Undo;
  abort(rule: AbortRule): Undo;
  partition(rule: PartitionRule): Undo;
}
