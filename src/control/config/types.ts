// The configuration center as the rest of meshsim sees it: config pushes resolved from the file
// (src/control/config/resolve.ts), each the version it creates, numbered 1 (the file) then 2, 3, ...
// in time order and cumulative (what a run records of them is result/config.ts). Versions hold whole
// traffic policies, so a proxy that skips a version (a later one overtook it) misses nothing.
import type { Distribution } from "../../kernel/distribution.ts";
import type { TrafficPolicy } from "../../scenario/types.ts";

/** One stage of a staged rollout: from `afterMs` after the previous stage, `percent` of all proxies have the push. */
export interface RolloutStage {
  /** Cumulative share of proxies, in (0, 100]; increasing over the stages, the last one 100. */
  percent: number;
  afterMs: number;
}

export interface ConfigPushSpec {
  kind: "config-push";
  name: string;
  /** When the operator publishes it (before the debounce). */
  atMs: number;
  /** The version it creates: 2 for the earliest push (ties in file order), 3 for the next, .... */
  version: number;
  /** Values put at paths of the file, in the order written: the path as written (`key`) and as segments. */
  set: { key: string; path: (string | number)[]; value: unknown }[];
  /** Istio's PILOT_DEBOUNCE_AFTER: every proxy's delivery waits this long first. */
  debounceMs: number;
  /** Each proxy's own delivery delay after the debounce and its stage's start. */
  delay: Distribution;
  /** Stages in order; one stage of 100% when the push is not staged. */
  rollout: RolloutStage[];
  /** Every service's traffic policy in this version (this push and every earlier one applied), by service index. */
  trafficPolicies: TrafficPolicy[];
}
