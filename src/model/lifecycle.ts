// An instance's life as its pod and the control plane see it: `starting → ready → draining →
// stopped`, Kubernetes' pod lifecycle reduced to what discovery needs (a container starting, Ready,
// terminating with its endpoint removed, gone). A pod-kill jumps to `stopped` with no draining and
// no deregistration (`graceful` false); its restart goes through `starting` to `ready`. Instances
// present at t = 0 are `ready`. Reachability (a pod-failure, a kill) is separate from the phase:
// a pod-failure leaves the phase alone and makes the instance unreachable until undone.
//
// The contract the control plane builds on, kept small on purpose:
// - `Instance.phase`, `Instance.reachable`;
// - `Instance.canHeartbeat`: the app's registry client runs and gets through (ready, reachable;
//   an app deregisters and stops its client when it starts draining), so its lease is renewed;
// - `Instance.passesReadiness`: a readiness or health probe would succeed now (ready, reachable);
// - listeners (`addLifecycleListener`), told of every phase transition and every change of
//   `reachable`, after the instance has changed. With no listener a change costs a null check.
// Startup time, graceful draining, restarts, rollouts and autoscaling are built on top of this in
// src/control/recovery/ and src/control/rollout/; each moves the phase through `Instance`.
import type { Instance } from "./instance.ts";

export type Phase = "starting" | "ready" | "draining" | "stopped";

/** The legal moves of the phase: the single table every transition is checked against. */
export const PHASE_TRANSITIONS: Readonly<Record<Phase, readonly Phase[]>> = Object.freeze({
  starting: ["ready", "stopped"],
  ready: ["draining", "stopped"],
  draining: ["stopped"],
  stopped: ["starting"],
});

/** Throws when `from → to` is not in PHASE_TRANSITIONS (a bug of the caller, never of a scenario). */
export function checkPhaseTransition(instanceId: string, from: Phase, to: Phase): void {
  if (!PHASE_TRANSITIONS[from].includes(to)) {
    throw new Error(
      `instance ${instanceId} cannot go from ${from} to ${to}; from ${from} it may go to ${PHASE_TRANSITIONS[from].join(" or ") || "nothing"}`,
    );
  }
}

/** What a lifecycle listener is told about: the instance itself. */
export type LifecycleSubject = Instance;

export interface LifecycleListener {
  /**
   * `instance` moved from `from` to `to`. `graceful` is false for a kill (the process vanished:
   * no deregistration, no draining), true for a move the process made itself.
   */
  phaseChanged(instance: LifecycleSubject, from: Phase, to: Phase, graceful: boolean): void;
  /** `instance.reachable` flipped (a kill, a restart, a pod-failure and its end). */
  reachabilityChanged(instance: LifecycleSubject): void;
}
