// The fault timeline: Chaos Mesh / Istio / Toxiproxy faults resolved from a scenario's `faults`
// list (resolve.ts), scheduled on the simulated clock (timeline.ts), applied through the model's
// verbs (actuator.ts). Explicit named exports only.
export type {
  AbortRule,
  DelayRule,
  FaultActuator,
  PartitionRule,
  PartitionSide,
  TrafficScope,
  Undo,
} from "./actuator.ts";
export type { FaultFinding, FaultServiceInfo, ResolvedFaults } from "./resolve.ts";
export { resolveFaults } from "./resolve.ts";
export type { FaultWorld } from "./timeline.ts";
export { compareIds, howMany, scheduleFaults } from "./timeline.ts";
export type {
  AbortFault,
  CpuStressFault,
  DelayFault,
  EdgeTarget,
  FaultKind,
  FaultRecord,
  FaultSpec,
  InstanceTarget,
  PartitionFault,
  PartitionSideTarget,
  PartitionTarget,
  PodFailureFault,
  PodKillFault,
  RegistryOutageFault,
  Selection,
  SelectorMode,
  TrafficTarget,
  ZonesTarget,
} from "./types.ts";
export { faultEndMs } from "./types.ts";
