// What the fault timeline can do to the running model: the verbs of Chaos Mesh, Istio fault
// injection and Toxiproxy, each paired with its exact undo. The timeline (timeline.ts) decides
// when and to what; the model (instances, network, proxies) implements the verbs. Every verb that
// lasts returns its undo, so a fault that ends is reverted exactly, even when faults overlap.
import type { Distribution } from "../kernel/distribution.ts";
import type { Endpoint } from "../model/endpoint.ts";
import type { Phase } from "../model/instanceLife.ts";

/** What the timeline knows of an instance: its id, zone and phase (the model's Instance is one; tests use plain ones). */
export interface FaultEndpoint extends Pick<Endpoint, "id" | "zone"> {
  /** A `stopped` pod (a standby slot, one the control plane deleted) is never selected, unless a pod-kill holds it down. */
  readonly phase: Phase;
}

/** Where a delay or abort applies: inbound at some instances, or on the calls of one edge. */
export type TrafficScope<E extends FaultEndpoint> =
  | { kind: "instances"; instances: readonly E[] }
  /** Calls from `from` (a service name, or `load:<name>` for a load's clients) to service `to`. */
  | { kind: "edge"; from: string; to: string };

export interface DelayRule<E extends FaultEndpoint> {
  scope: TrafficScope<E>;
  /** Added one-way delay on the request leg (Istio fixedDelay; Toxiproxy latency ± jitter). */
  delay: Distribution;
  /** Share of calls delayed, 0..100 (decided per call from the request's keyed draws). */
  percentage: number;
}

export interface AbortRule<E extends FaultEndpoint> {
  scope: TrafficScope<E>;
  /** The HTTP status the aborted calls get at once (e.g. 503). */
  httpStatus: number;
  /** Share of calls aborted, 0..100. */
  percentage: number;
}

/** Two sides that cannot reach each other; calls across fail with connect-failure after the connect timeout. */
export interface PartitionRule<E extends FaultEndpoint> {
  /** Zones, or instances, on one side. A proxy is on a side when its zone (or its instance) is. */
  sideA: PartitionSide<E>;
  /** The other side; null means everything not on side A. */
  sideB: PartitionSide<E> | null;
}

export interface PartitionSide<E extends FaultEndpoint> {
  zones: readonly string[];
  instances: readonly E[];
}

export type Undo = () => void;

/** `E`: what the timeline hands over as an instance (the model's Instance; tests use plain ones). */
export interface FaultActuator<E extends FaultEndpoint> {
  /**
   * pod-kill: the instance dies now; its queued and running calls fail (reset); new calls to it
   * fail to connect. `revived` is called if something else (the kubelet) starts it again.
   */
  kill(instance: E, revived?: () => void): void;
  /** The killed instance comes back, empty and ready. */
  restart(instance: E): void;
  /** pod-failure: the instance stays up but answers nothing (its calls fail as with kill) until undone. */
  fail(instance: E): Undo;
  /** cpu-stress: the instance's service times are multiplied by `factor` until undone (factors multiply). */
  stress(instance: E, factor: number): Undo;
  delay(rule: DelayRule<E>): Undo;
  abort(rule: AbortRule<E>): Undo;
  partition(rule: PartitionRule<E>): Undo;
}
