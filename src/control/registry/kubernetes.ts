// Kubernetes Endpoints fed by kubelet readiness probes, pushed to every sidecar by istiod after its
// debounce. After the kubelet's prober worker (pkg/kubelet/prober/worker.go), the endpoint
// controller, and Istio's pilot debounce. Rules kept:
// - The kubelet probes each running container every period (a ticker: the first probe at once when
//   the container starts; at t = 0 a phase drawn per pod). A probe of a pod that is not ready fails:
//   at once if it answers (draining: 503), else after timeout (a hung or dead process). Results count
//   in runs: failureThreshold failures in a row make the pod NotReady, successThreshold successes
//   Ready. A new container starts NotReady.
// - A killed pod (container gone) is noticed by the kubelet's PLEG at its next relist (every
//   plegRelistPeriod, a phase per node) and turns NotReady at once; its prober stops. (When Chaos
//   Mesh deletes the pod instead, the endpoint controller drops it on the delete event: no later.)
//   A pod-failure keeps the container "running" and is found by the probes (the hung-pod case).
// - A terminating pod (graceful stop: draining) leaves the endpoints at once.
// - Endpoints hold the Ready pods; Istio does not send unready endpoints (PILOT_SEND_UNHEALTHY_ENDPOINTS
//   off). Every endpoint change goes through istiod's debounce (debounce.ts), then every proxy gets
//   the endpoints as they are then, after its own push delay.
// - During a registry-outage (the API server unreachable) the kubelet keeps probing, status updates
//   wait, and the latest readiness is written when it ends.
// Recorded: `registry <id>` ready/not-ready/terminating.
// Left out: startup and liveness probes (restarts are the fault timeline's), initialDelaySeconds,
// EndpointSlice batching, Envoy's update_merge_window.
import type { Rng } from "../../kernel/random.ts";
import type { Timer } from "../../kernel/scheduler.ts";
import type { Instance } from "../../model/instance.ts";
import type { Phase } from "../../model/instanceLife.ts";
import { Debouncer } from "./debounce.ts";
import { LeaseStore, type TransitionTable } from "./leaseStore.ts";
import type { KubernetesSpec } from "./presets.ts";
import {
  phaseOf,
  type RegistryContext,
  type RegistryKindModel,
  type RegistryServer,
} from "./server.ts";
import type { Snapshot } from "./snapshot.ts";

export type KubernetesState = "ready" | "not-ready" | "terminating";

export const KUBERNETES_TRANSITIONS: TransitionTable<KubernetesState> = {
  absent: ["not-ready"],
  ready: ["not-ready", "terminating"],
  "not-ready": ["ready", "terminating"],
  terminating: ["not-ready"],
};

/** The prober worker's counting: a result changes readiness only after a run of threshold results. */
export class ProbeRun {
  private last: boolean;
  private run: number;

  constructor(
    private readonly successThreshold: number,
    private readonly failureThreshold: number,
    /** The readiness the container starts with (a new container: not ready). */
    ready: boolean,
  ) {
    this.last = ready;
    this.run = ready ? successThreshold : 0;
  }

  /** The readiness after this probe result, or null when it does not change it yet. */
  result(success: boolean): boolean | null {
    if (success === this.last) this.run++;
    else {
      this.last = success;
      this.run = 1;
    }
    if (success && this.run < this.successThreshold) return null;
    if (!success && this.run < this.failureThreshold) return null;
    return success;
  }
}

interface Pod {
  /** Readiness as the kubelet knows it. */
  ready: boolean;
  terminating: boolean;
  probes: ProbeRun;
  probeTimer: Timer | null;
  /** Bumped for every new container, so a probe of an old one that ends late counts for nothing. */
  container: number;
  relistPhase: number;
  rng: Rng;
}

export class KubernetesServer implements RegistryServer {
  private readonly store: LeaseStore<KubernetesState>;
  private readonly pods: Pod[][];
  private readonly debouncer: Debouncer;

  constructor(
    private readonly spec: KubernetesSpec,
    private readonly ctx: RegistryContext,
  ) {
    this.debouncer = new Debouncer(ctx.scheduler, spec.debounceAfterMs, spec.debounceMaxMs, () =>
      ctx.push(this.store.live),
    );
    this.store = new LeaseStore(
      ctx.services,
      KUBERNETES_TRANSITIONS,
      "ready",
      ctx.scheduler,
      ctx.record,
      () => this.debouncer.event(),
    );
    this.pods = ctx.services.map((s) =>
      s.instances.map((instance) => {
        const rng = ctx.stream(`instance/${instance.id}`);
        const ready = instance.phase === "ready";
        return {
          ready,
          terminating: false,
          probes: this.newProbes(ready),
          probeTimer: null,
          container: 0,
          relistPhase: phaseOf(rng, spec.plegRelistPeriodMs),
          rng,
        };
      }),
    );
    for (const instance of this.store.all()) {
      const first = phaseOf(this.podOf(instance).rng, spec.periodMs);
      if (instance.phase !== "stopped") this.startProbing(instance, first);
    }
  }

  served(): Snapshot {
    return this.store.live;
  }

  recovered(): void {
    for (const instance of this.store.all()) this.sync(instance);
  }

  phaseChanged(instance: Instance, _from: Phase, to: Phase, graceful: boolean): void {
    const pod = this.podOf(instance);
    if (to === "stopped" && !graceful) {
      this.stopProbing(pod);
      const now = this.ctx.scheduler.now;
      const period = this.spec.plegRelistPeriodMs;
      const relist = pod.relistPhase + Math.ceil((now - pod.relistPhase) / period) * period;
      this.ctx.scheduler.post(Math.max(now, relist), () => {
        if (instance.phase !== "stopped") return; // restarted before the kubelet looked
        this.setReady(instance, false);
      });
    } else if (to === "starting") {
      // A new container: NotReady until its probes pass, probed from now on.
      pod.terminating = false;
      pod.container++;
      pod.probes = this.newProbes(false);
      this.setReady(instance, false);
      this.startProbing(instance, this.ctx.scheduler.now);
    } else if (graceful && (to === "draining" || to === "stopped")) {
      pod.terminating = true;
      this.sync(instance);
    }
  }

  reachabilityChanged(): void {}

  private newProbes(ready: boolean): ProbeRun {
    return new ProbeRun(this.spec.successThreshold, this.spec.failureThreshold, ready);
  }

  private podOf(instance: Instance): Pod {
    return this.pods[instance.service.index][instance.index];
  }

  private startProbing(instance: Instance, firstMs: number): void {
    const pod = this.podOf(instance);
    this.stopProbing(pod);
    const { scheduler } = this.ctx;
    const tick = (): void => {
      pod.probeTimer = scheduler.at(scheduler.now + this.spec.periodMs, tick);
      this.probe(instance);
    };
    pod.probeTimer = scheduler.at(firstMs, tick);
  }

  private stopProbing(pod: Pod): void {
    if (pod.probeTimer !== null) this.ctx.scheduler.cancel(pod.probeTimer);
    pod.probeTimer = null;
  }

  private probe(instance: Instance): void {
    const pod = this.podOf(instance);
    const container = pod.container;
    const conclude = (success: boolean): void => {
      if (instance.phase === "stopped" || pod.container !== container) return; // the container died while the probe ran
      const ready = pod.probes.result(success);
      if (ready !== null) this.setReady(instance, ready);
    };
    if (instance.passesReadiness) return conclude(true);
    if (instance.reachable && instance.phase === "draining") return conclude(false);
    this.ctx.scheduler.postAfter(this.spec.timeoutMs, () => conclude(false));
  }

  private setReady(instance: Instance, ready: boolean): void {
    this.podOf(instance).ready = ready;
    this.sync(instance);
  }

  /** Writes the pod's readiness to the API server (the Endpoints follow at once), unless it is unreachable. */
  private sync(instance: Instance): void {
    if (!this.ctx.up()) return;
    const pod = this.podOf(instance);
    const to: KubernetesState = pod.terminating ? "terminating" : pod.ready ? "ready" : "not-ready";
    if (this.store.state(instance) === "terminating" && to === "ready")
      this.store.move(instance, "not-ready");
    this.store.move(instance, to);
    this.store.serve(instance, to === "ready");
  }

  events(): ReadonlyMap<string, number> {
    return this.store.entered;
  }
}

/** Kubernetes + istiod as a registry kind: EDS pushes. */
export const kubernetes: RegistryKindModel<KubernetesSpec> = {
  server: (spec, ctx) => new KubernetesServer(spec, ctx),
  delivery: (spec) => ({ pushDelayMs: spec.pushDelayMs, poll: null }),
};
