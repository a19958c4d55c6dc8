// The fault timeline as the rest of meshsim sees it: typed, defaulted faults with times in
// simulated ms and delays as Distributions, produced once by scenario/resolve/faults.ts. Kinds and
// selector modes are Chaos Mesh's, delay/abort Istio's HTTPFaultInjection, jitter Toxiproxy's.
// Leaves out schedules that repeat (Chaos Mesh's Schedule/cron) and faults on responses or
// bandwidth.
import type { Distribution } from "../kernel/distribution.ts";

/** The kinds, read off FaultSpec: a new kind is its interface below and one line in that union. */
export type FaultKind = FaultSpec["kind"];

/**
 * Chaos Mesh's selector modes, over a service's instances in id order: `one` random instance,
 * `all`, `fixed` count, `fixed-percent` ⌊n·percent/100⌋, `random-max-percent` ⌊n·p/100⌋ with p
 * drawn uniformly from 0..maxPercent.
 */
export type Selection =
  | { mode: "one" }
  | { mode: "all" }
  | { mode: "fixed"; count: number }
  | { mode: "fixed-percent"; percent: number }
  | { mode: "random-max-percent"; maxPercent: number };

export type SelectorMode = Selection["mode"];

/** Some instances of one service, chosen when the fault starts. */
export interface InstanceTarget {
  kind: "instances";
  service: string;
  selection: Selection;
}

/** The calls from `from` (a service, or `load:<name>` for a load's clients) to service `to`. */
export interface EdgeTarget {
  kind: "edge";
  from: string;
  to: string;
}

/** Every instance and client in these zones. */
export interface ZonesTarget {
  kind: "zones";
  zones: string[];
}

export type TrafficTarget = InstanceTarget | EdgeTarget;
export type PartitionSideTarget = InstanceTarget | ZonesTarget;

export interface PartitionTarget {
  sideA: PartitionSideTarget;
  /** null: side A is cut off from everything else. */
  sideB: PartitionSideTarget | null;
}

interface FaultBase {
  /** Unique within the scenario; `<kind>-<index>` when the file gives none. */
  name: string;
  /** When the fault starts. */
  atMs: number;
}

export interface PodKillFault extends FaultBase {
  kind: "pod-kill";
  target: InstanceTarget;
  /** The killed instances restart this long after `at`; null: they stay down. */
  restartAfterMs: number | null;
}

export interface PodFailureFault extends FaultBase {
  kind: "pod-failure";
  target: InstanceTarget;
  /** null: until the end of the run. */
  durationMs: number | null;
}

export interface DelayFault extends FaultBase {
  kind: "delay";
  target: TrafficTarget;
  durationMs: number | null;
  /** constant(delay), or uniform(delay − jitter, delay + jitter) with Toxiproxy's jitter. */
  delay: Distribution;
  /** Share of calls delayed, 0..100. */
  percentage: number;
}

export interface AbortFault extends FaultBase {
  kind: "abort";
  target: TrafficTarget;
  durationMs: number | null;
  httpStatus: number;
  /** Share of calls aborted, 0..100. */
  percentage: number;
}

export interface CpuStressFault extends FaultBase {
  kind: "cpu-stress";
  target: InstanceTarget;
  durationMs: number | null;
  /** Service-time multiplier, > 1. */
  factor: number;
}

export interface PartitionFault extends FaultBase {
  kind: "partition";
  target: PartitionTarget;
  durationMs: number | null;
}

/**
 * The service registry stops answering: renewals, heartbeats, registrations and fetches fail;
 * clients keep their last view.
 */
export interface RegistryOutageFault extends FaultBase {
  kind: "registry-outage";
  durationMs: number | null;
}

export type FaultSpec =
  | PodKillFault
  | PodFailureFault
  | DelayFault
  | AbortFault
  | CpuStressFault
  | PartitionFault
  | RegistryOutageFault;

/** When the fault is undone (a pod-kill's restart), or null when it lasts to the end of the run. */
export function faultEndMs(fault: FaultSpec): number | null {
  const lasts = fault.kind === "pod-kill" ? fault.restartAfterMs : fault.durationMs;
  return lasts === null ? null : fault.atMs + lasts;
}

/**
 * What happened, for the run result (result/run.ts's FaultRecord is its shape there; the report
 * shades these windows). Filled in as the run goes: `endMs` stays null for a fault still in force
 * when the run ends. `targets`: instance ids (in id order), `from->to` for an edge, or for a
 * partition one entry per side (its zones or instance ids joined by ","; a single entry means cut
 * off from everything else).
 */
export interface FaultRecord {
  name: string;
  kind: FaultKind;
  startMs: number;
  endMs: number | null;
  targets: string[];
}
