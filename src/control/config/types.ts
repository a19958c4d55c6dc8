// The configuration center as the rest of meshsim sees it: config pushes resolved from the file
// (src/control/config/resolve.ts), each the version it creates, numbered 1 (the file) then 2, 3, ...
// in time order and cumulative; and what a run records of them. Versions hold whole traffic
// policies, so a proxy that skips a version (a later one overtook it) misses nothing.
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

/** What a run records of one version. */
export interface ConfigVersionResult {
  version: number;
  /** The push's name; `file` for version 1. */
  name: string;
  /** When it was published (0 for the file). */
  atMs: number;
  /** The paths set and their values, paths as written (`mesh.services.payment.loadBalancer.policy`). */
  set: Record<string, unknown>;
  /** Proxies it was delivered to before the run ended (including those that already had a newer one). */
  delivered: number;
  /** Earliest, median (the ⌈n/2⌉-th) and latest delivery time, or null when it reached no proxy. */
  firstMs: number | null;
  medianMs: number | null;
  lastMs: number | null;
  /** Proxies running it when the run ended. */
  runningAtEnd: number;
}

/** The config center's part of a run result: the versions, and per proxy which version it ran from when. */
export interface ConfigResult {
  versions: ConfigVersionResult[];
  /** By proxy name in build order (sidecars, then load clients): the versions it ran, from when. */
  proxies: Record<string, { version: number; fromMs: number }[]>;
}
