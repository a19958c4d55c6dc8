// The pods of one service as a Kubernetes Deployment and its kubelets run them: a fixed set of
// instance slots (the ones the scenario starts with, then standby slots for surge and autoscaling),
// each moved through the life of src/model/instanceLife.ts by this one owner:
// - start: a container starts (`starting`, connections refused) and its app accepts connections
//   after `startupTime` (`ready`);
// - terminate: the pod is deleted: its endpoint is withdrawn at once (`draining`), the preStop hook
//   runs for `preStopDelay` while the app still serves, then SIGTERM: the app stops accepting
//   connections, finishes what it has, and exits when idle or when `terminationGracePeriod` runs
//   out (SIGKILL resets what is left). Kubernetes runs preStop inside the grace period, so the
//   grace period counts from the deletion;
// - supervise: with restartPolicy Always, a container that died (a pod-kill) is restarted after
//   the kubelet's CrashLoopBackOff delay (crashLoopBackOff.ts) and goes through its startup again.
// Every phase change is a state change of the run (`pod <id>`), and the counts of pods per phase
// are kept over time for the report. Left out: image pulls, scheduling onto nodes, init containers.
import type { Scheduler } from "../../kernel/scheduler.ts";
import type { Instance, LifecycleListener } from "../../model/instance.ts";
import type { Phase } from "../../model/instanceLife.ts";
import type { ModelObserver } from "../../model/observer.ts";
import type { Service } from "../../model/service.ts";
import type { LifecycleSpec } from "../spec.ts";
import {
  type CrashLoopHistory,
  crashLoopConfig,
  NO_RESTARTS,
  nextRestart,
} from "./crashLoopBackOff.ts";

/** How often a shutting-down app is checked for having finished its calls. */
const IDLE_CHECK_MS = 1_000;

/** Pods per phase at one moment. */
export interface PodCounts {
  atMs: number;
  starting: number;
  ready: number;
  draining: number;
}

export class Workload implements LifecycleListener {
  /** Slots not running a pod, lowest index first (the next to start). */
  private readonly standby: Instance[] = [];
  private readonly history = new Map<number, CrashLoopHistory>();
  /** Pods being deleted: when they die they stay down (no restart). */
  private readonly deleting = new Set<Instance>();
  /** Pods per phase after each change (one entry per instant: the last change of an instant wins). */
  readonly counts: PodCounts[] = [];
  private readonly crashLoop = crashLoopConfig();
  /** The version new pods get (the Deployment's pod template); undefined: any, lowest slot first. */
  template: string | undefined = undefined;
  /** While a rolling update runs, how a change of the Deployment's replicas is carried out (proportional scaling); else null. */
  scaleDuringRollout: ((replicas: number) => void) | null = null;

  constructor(
    readonly service: Service,
    private readonly spec: LifecycleSpec,
    private readonly scheduler: Scheduler,
    private readonly observer: ModelObserver,
  ) {
    for (const instance of service.instances) {
      instance.addLifecycleListener(this);
      if (instance.phase === "stopped") this.standby.push(instance);
    }
    this.record();
  }

  /** Pods that exist (not stopped): the slots not on standby. */
  get replicas(): number {
    return this.service.instances.length - this.standby.length;
  }

  /** Starts the lowest standby slot of `version` (or of any version), or returns null when none is left. */
  start(version?: string): Instance | null {
    const at = this.standby.findIndex((i) => version === undefined || i.version.name === version);
    if (at < 0) return null;
    const instance = this.standby.splice(at, 1)[0];
    this.boot(instance);
    return instance;
  }

  /** Deletes a pod: draining at once, SIGTERM after the preStop delay, gone when idle or at the grace period's end. */
  terminate(instance: Instance): void {
    if (instance.phase === "stopped" || instance.phase === "draining") return;
    this.deleting.add(instance);
    if (instance.phase === "starting") {
      instance.terminate();
      return;
    }
    instance.beginDraining();
    const deadline = this.scheduler.now + this.spec.terminationGracePeriodMs;
    const sigterm = Math.min(this.spec.preStopDelayMs, this.spec.terminationGracePeriodMs);
    this.scheduler.postAfter(sigterm, () => {
      if (instance.phase !== "draining") return;
      instance.stopListening();
      const check = (): void => {
        if (instance.phase !== "draining") return;
        if (instance.idle || this.scheduler.now >= deadline) return instance.terminate();
        this.scheduler.post(Math.min(this.scheduler.now + IDLE_CHECK_MS, deadline), check);
      };
      check();
    });
  }

  phaseChanged(subject: Instance, from: Phase, to: Phase, graceful: boolean): void {
    const instance = subject as Instance;
    this.observer.stateChanged(this.scheduler.now, `pod ${instance.id}`, from, to);
    if (to === "stopped") {
      if (this.deleting.delete(instance) || graceful) this.standby.push(instance);
      else this.supervise(instance);
      this.standby.sort((a, b) => a.index - b.index);
    }
    this.record();
  }

  reachabilityChanged(): void {}

  /** The kubelet restarts a dead container after its back-off (restartPolicy Always). */
  private supervise(instance: Instance): void {
    if (this.spec.restartPolicy === "Never") {
      this.standby.push(instance);
      return;
    }
    const restart = nextRestart(
      this.history.get(instance.index) ?? NO_RESTARTS,
      this.scheduler.now,
      this.crashLoop,
    );
    this.history.set(instance.index, restart.history);
    this.scheduler.post(restart.restartAtMs, () => {
      // Something else (a pod-kill's own restartAfter) may have brought it back already.
      if (instance.phase !== "stopped") return;
      this.boot(instance);
    });
  }

  /** A container starts; its app accepts connections after the startup time (unless it died meanwhile). */
  private boot(instance: Instance): void {
    instance.boot();
    this.scheduler.postAfter(this.spec.startupTimeMs, () => {
      if (instance.phase === "starting") instance.becomeReady();
    });
  }

  private record(): void {
    const c: PodCounts = { atMs: this.scheduler.now, starting: 0, ready: 0, draining: 0 };
    for (const instance of this.service.instances) {
      const phase = instance.phase;
      if (phase !== "stopped") c[phase]++;
    }
    const last = this.counts[this.counts.length - 1];
    if (last !== undefined && last.atMs === c.atMs) this.counts[this.counts.length - 1] = c;
    else if (
      last === undefined ||
      last.starting !== c.starting ||
      last.ready !== c.ready ||
      last.draining !== c.draining
    )
      this.counts.push(c);
  }
}
