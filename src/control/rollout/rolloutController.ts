// A rolling update of one service to one of its versions, driven the way the Kubernetes
// deployment controller drives it (rollingUpdate.ts has the arithmetic): at the rollout's time the
// desired count is the pods the service runs then; each sync scales the new version up within
// maxSurge and the old versions down within maxUnavailable, and a sync follows every pod change
// of the service (a new pod becoming ready, an old one gone), as the controller's informers
// requeue the Deployment. Old pods to delete are picked as a ReplicaSet does: not-ready ones
// first, then the newest (highest index; Kubernetes breaks the remaining ties by age and uid).
// An available pod is a ready one (minReadySeconds 0).
import type { Scheduler } from "../../kernel/scheduler.ts";
import type { Instance, LifecycleListener } from "../../model/instance.ts";
import type { RolloutRecord } from "../../result/recovery.ts";
import type { Workload } from "../recovery/workload.ts";
import type { RolloutSpec } from "../spec.ts";
import { proportionalSizes } from "./proportionalScaling.ts";
import { resolveFenceposts, rollingStep } from "./rollingUpdate.ts";

export class RolloutController implements LifecycleListener {
  private desired = 0;
  private syncPosted = false;
  private started = false;
  readonly record: RolloutRecord;

  constructor(
    private readonly spec: RolloutSpec,
    private readonly workload: Workload,
    private readonly scheduler: Scheduler,
  ) {
    this.record = {
      name: spec.name,
      service: spec.service,
      fromVersions: [],
      toVersion: spec.toVersion,
      startedAtMs: spec.atMs,
      finishedAtMs: null,
      desired: 0,
      maxSurge: 0,
      maxUnavailable: 0,
    };
    // Until the rollout, the pod template is the version running now (what the HPA starts, if it scales first).
    const running = workload.service.instances.find(
      (i) => i.phase !== "stopped" && i.version.name !== spec.toVersion,
    );
    if (workload.template === undefined && running !== undefined)
      workload.template = running.version.name;
    scheduler.post(spec.atMs, () => this.begin());
  }

  private begin(): void {
    this.started = true;
    const running = this.workload.service.instances.filter(
      (i) => i.phase === "starting" || i.phase === "ready",
    );
    this.desired = running.length;
    const { surge, unavailable } = resolveFenceposts(this.spec.strategy, this.desired);
    this.record.desired = this.desired;
    this.record.maxSurge = surge;
    this.record.maxUnavailable = unavailable;
    this.record.fromVersions = [
      ...new Set(
        running.filter((i) => i.version.name !== this.spec.toVersion).map((i) => i.version.name),
      ),
    ];
    // The Deployment's pod template is the new version from now on; the HPA's changes go through proportional scaling.
    this.workload.template = this.spec.toVersion;
    this.workload.scaleDuringRollout = (replicas) => this.scaleDeployment(replicas);
    for (const instance of this.workload.service.instances) instance.addLifecycleListener(this);
    this.sync();
  }

  phaseChanged(): void {
    if (!this.started || this.syncPosted || this.record.finishedAtMs !== null) return;
    this.syncPosted = true;
    this.scheduler.postAfter(0, () => {
      this.syncPosted = false;
      this.sync();
    });
  }

  reachabilityChanged(): void {}

  private sync(): void {
    for (;;) {
      const { olds, news } = this.pods();
      const state = {
        desired: this.desired,
        oldReplicas: olds.length,
        oldAvailable: olds.filter((i) => i.phase === "ready").length,
        newReplicas: news.length,
        newAvailable: news.filter((i) => i.phase === "ready").length,
      };
      if (state.oldReplicas === 0 && state.newAvailable === this.desired) {
        this.record.finishedAtMs = this.scheduler.now;
        this.workload.scaleDuringRollout = null;
        return;
      }
      const step = rollingStep(state, this.spec.strategy);
      if (step.scaleUpNew === 0 && step.scaleDownOld === 0) return;
      for (let k = 0; k < step.scaleUpNew; k++) {
        if (this.workload.start(this.spec.toVersion) === null)
          throw new Error(
            `rollout ${this.spec.name}: no standby slot of version ${this.spec.toVersion} left`,
          );
      }
      for (const instance of deletionOrder(olds).slice(0, step.scaleDownOld))
        this.workload.terminate(instance);
    }
  }

  /**
   * The Deployment's replicas changed mid-rollout (the HPA): proportional scaling over the
   * ReplicaSets, one per version, older versions first in declaration order and the target the
   * newest; then the rolling update goes on towards the new count.
   */
  private scaleDeployment(replicas: number): void {
    const versions = this.workload.service.spec.versions
      .map((v) => v.name)
      .filter((v) => v !== this.spec.toVersion);
    versions.push(this.spec.toVersion);
    const podsOf = (version: string) =>
      this.workload.service.instances.filter(
        (i) => i.version.name === version && (i.phase === "starting" || i.phase === "ready"),
      );
    const sets = versions.map((version, age) => ({ replicas: podsOf(version).length, age }));
    const oldMax = this.desired + resolveFenceposts(this.spec.strategy, this.desired).surge;
    const surge = resolveFenceposts(this.spec.strategy, replicas).surge;
    const sizes = proportionalSizes(sets, replicas, surge, oldMax);
    versions.forEach((version, k) => {
      const delta = sizes[k] - sets[k].replicas;
      for (let n = 0; n < delta; n++) {
        if (this.workload.start(version) === null)
          throw new Error(`rollout ${this.spec.name}: no standby slot of version ${version} left`);
      }
      if (delta < 0)
        for (const instance of deletionOrder(podsOf(version)).slice(0, -delta))
          this.workload.terminate(instance);
    });
    this.desired = replicas;
    this.sync();
  }

  /** Pods that count as replicas (starting or ready; terminating ones do not), old and new. */
  private pods(): { olds: Instance[]; news: Instance[] } {
    const olds: Instance[] = [];
    const news: Instance[] = [];
    for (const instance of this.workload.service.instances) {
      if (instance.phase !== "starting" && instance.phase !== "ready") continue;
      (instance.version.name === this.spec.toVersion ? news : olds).push(instance);
    }
    return { olds, news };
  }
}

/** A ReplicaSet's choice of pods to delete: not ready first, then the newest. */
function deletionOrder(pods: Instance[]): Instance[] {
  return [...pods].sort((a, b) => {
    const readyA = a.phase === "ready" ? 1 : 0;
    const readyB = b.phase === "ready" ? 1 : 0;
    return readyA !== readyB ? readyA - readyB : b.index - a.index;
  });
}
