// meshsim/testing: the public property-test toolkit, explicit named exports only
// (docs/testing-toolkit.md lists them). fast-check arbitraries of scenarios, traffic policies and
// fault timelines aimed at a scenario's own services; a user's file with parts overridden;
// invariant checkers that watch a run as it happens; "sometimes" coverage probes; a property
// runner for vitest or jest; and the swarm behind `meshsim swarm`.

export {
  type FaultDocument,
  faultTimeline,
  type TimelineOptions,
  usableKinds,
} from "./arbitraries/faultTimeline.ts";
export {
  type ScenarioConstraints,
  type ScenarioDocument,
  scenario,
} from "./arbitraries/scenario.ts";
export { type TrafficPolicyDocument, trafficPolicy } from "./arbitraries/trafficPolicy.ts";
export { assertNoViolation, type CheckOptions, check } from "./check.ts";
export {
  type CheckedRun,
  type CheckedRunOptions,
  createCheck,
  type RunCheck,
  runChecked,
} from "./checkedRun.ts";
export { businessInvariants } from "./checkers/business.ts";
export {
  BUILT_IN_INVARIANTS,
  breakerLegality,
  builtInInvariants,
  connectionPoolBounds,
  conservation,
  hostInView,
  outlierEjectionCap,
  rateLimitBounds,
  retryBounds,
  retryBudget,
  thresholds,
  thresholdsOver,
  type WindowOptions,
} from "./checkers/index.ts";
export { BUILT_IN_PROBES, type Probe, sometimes } from "./coverage.ts";
export { formatEvent, type ProxyEventName, type RunEvent } from "./events.ts";
export { formatViolation, ViolationError } from "./format.ts";
export type { Breach, Invariant, InvariantWatch, Violation } from "./invariant.ts";
export { fromDocument, fromFile, ScenarioSource } from "./source.ts";
export {
  type MinimalCase,
  type SeedOutcome,
  type SwarmOptions,
  type SwarmReport,
  swarm,
} from "./swarm.ts";
export { swarmInWorkers } from "./swarmPool.ts";

/** The exit code of `meshsim swarm` when a seed broke an invariant, and of `meshsim run` on a file whose `invariants:` one breaks. */
export const INVARIANT_EXIT_CODE = 3;
