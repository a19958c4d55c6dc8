// The HorizontalPodAutoscaler in the loop: every sync period it reads the CPU utilization of the
// service's ready pods, as metrics-server would report it (the busy share of each instance's
// worker slots over the last period, in percent of its "request" = all its slots), asks the HPA
// (hpa.ts) for the desired count, and starts or deletes pods through the Workload. Pods that
// are still starting are "not yet ready" to the HPA (Kubernetes sets them aside). The desired
// count is the Deployment's spec.replicas: pods come up after their startup time. Scale-down
// deletes the newest pods first (a ReplicaSet's choice among equally ready pods).
import type { Scheduler } from "../../kernel/scheduler.ts";
import type { Instance } from "../../model/instance.ts";
import type { HpaDecision } from "../../result/recovery.ts";
import type { Workload } from "../recovery/workload.ts";
import type { AutoscalingSpec } from "../spec.ts";
import { HorizontalPodAutoscaler } from "./hpa.ts";

export class Autoscaler {
  readonly hpa: HorizontalPodAutoscaler;
  /** spec.replicas of the Deployment: what the last decision set. */
  private replicas: number;
  /** Each instance's busy slot-time at the last sync, by instance index. */
  private readonly lastBusy: Float64Array;
  private lastSyncMs = 0;

  constructor(
    spec: AutoscalingSpec,
    private readonly workload: Workload,
    private readonly scheduler: Scheduler,
  ) {
    this.hpa = new HorizontalPodAutoscaler({
      minReplicas: spec.minReplicas,
      maxReplicas: spec.maxReplicas,
      target: { type: "Utilization", averageUtilization: spec.targetCPUUtilizationPercentage },
      scaleUp: spec.scaleUp,
      scaleDown: spec.scaleDown,
      syncPeriodMs: spec.syncPeriodMs,
    });
    this.replicas = workload.replicas;
    this.lastBusy = new Float64Array(workload.service.instances.length);
    const tick = (): void => {
      this.sync();
      scheduler.post(scheduler.now + spec.syncPeriodMs, tick);
    };
    scheduler.post(spec.syncPeriodMs, tick);
  }

  get decisions(): readonly HpaDecision[] {
    return this.hpa.decisions;
  }

  private sync(): void {
    const now = this.scheduler.now;
    const window = now - this.lastSyncMs;
    const concurrency = this.workload.service.spec.concurrency;
    const samples: number[] = [];
    let unready = 0;
    for (const instance of this.workload.service.instances) {
      const busy = instance.busyTimeFromZero(now);
      const delta = busy - this.lastBusy[instance.index];
      this.lastBusy[instance.index] = busy;
      if (instance.phase === "starting") unready++;
      else if (instance.phase === "ready" && window > 0)
        samples.push((100 * delta) / (concurrency * window));
    }
    this.lastSyncMs = now;
    const decision = this.hpa.sync(now, {
      currentReplicas: this.replicas,
      readyPods: samples.length,
      averageMetric: samples.length === 0 ? 0 : samples.reduce((a, b) => a + b, 0) / samples.length,
      unreadyPods: unready,
    });
    this.scaleTo(decision.desired);
  }

  private scaleTo(desired: number): void {
    if (desired !== this.replicas && this.workload.scaleDuringRollout !== null) {
      // A rolling update is under way: the deployment controller spreads the change over the ReplicaSets.
      this.replicas = desired;
      this.workload.scaleDuringRollout(desired);
      return;
    }
    this.replicas = desired;
    const live = (): Instance[] =>
      this.workload.service.instances.filter((i) => i.phase === "starting" || i.phase === "ready");
    let pods = live();
    while (pods.length < desired && this.workload.start(this.workload.template) !== null)
      pods = live();
    if (pods.length > desired) {
      const newestFirst = [...pods].sort((a, b) =>
        a.phase === b.phase ? b.index - a.index : a.phase === "starting" ? -1 : 1,
      );
      for (const instance of newestFirst.slice(0, pods.length - desired))
        this.workload.terminate(instance);
    }
  }
}
