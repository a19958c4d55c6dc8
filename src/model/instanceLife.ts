// An instance's life as its pod and the control plane see it, apart from the queueing station
// (instance.ts) that serves calls: the phase `starting → ready → draining → stopped`, Kubernetes'
// pod lifecycle reduced to what discovery needs (a container starting, Ready, terminating with its
// endpoint removed, gone), and whether a connection to it succeeds now. A pod-kill jumps to
// `stopped` with no draining and no deregistration (`graceful` false); its restart goes through
// `starting` to `ready`. Instances present at t = 0 are `ready`; standby slots are parked
// (`stopped`) at build time. Reachability is derived, in one place: the process is alive, its app
// listens, and no pod-failure is in force; a pod-failure leaves the phase alone.
//
// The contract the control plane builds on, kept small on purpose (Instance passes it on):
// - `phase`, `reachable`, `processState` (running, failed or dead, as the run reports it);
// - `canHeartbeat`: the app's registry client runs and gets through (ready, reachable; an app
//   deregisters and stops its client when it starts draining), so its lease is renewed;
// - `passesReadiness`: a readiness or health probe would succeed now (ready, reachable);
// - listeners, told of every phase transition and every change of `reachable`, after the change.
//   With no listener a change costs a null check.
// Every phase change goes through the transition table (PHASE_TRANSITIONS). Startup time, graceful
// draining, restarts, rollouts and autoscaling are built on top of this in src/control/.

export type Phase = "starting" | "ready" | "draining" | "stopped";

/** What the run reports of an instance's process: dead from a kill (or before it first starts), failed while a pod-failure is in force. */
export type ProcessState = "running" | "failed" | "dead";

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

/** Told of the changes of an instance's life, after each; `S` is what it is told about (the Instance). */
export interface LifeListener<S> {
  /**
   * `subject` moved from `from` to `to`. `graceful` is false for a kill (the process vanished: no
   * deregistration, no draining), true for a move the process made itself.
   */
  phaseChanged(subject: S, from: Phase, to: Phase, graceful: boolean): void;
  /** `reachable` flipped (a kill, a restart, a pod-failure and its end, the app starting or stopping to listen). */
  reachabilityChanged(subject: S): void;
}

export class InstanceLife<S> {
  private currentPhase: Phase = "ready";
  /** False from a pod-kill (or a graceful termination) until the restart, and while parked. */
  private alive = true;
  /** False while the app is not accepting connections: still starting, or shutting down. */
  private listening = true;
  /** Pod-failure faults in force (they may overlap). */
  private failures = 0;
  /** Derived from the three above by `recompute`, the one formula; kept in a field for the hot path. */
  private connectable = true;
  /** Told of phase and reachability changes; null while nobody listens (the usual case). */
  private listeners: LifeListener<S>[] | null = null;

  constructor(
    /** For error messages: the instance's id. */
    private readonly id: string,
    /** What listeners are told about. */
    private readonly subject: S,
  ) {}

  get phase(): Phase {
    return this.currentPhase;
  }

  /** Whether a connection to the instance succeeds now: alive, listening and not failed. */
  get reachable(): boolean {
    return this.connectable;
  }

  get processState(): ProcessState {
    return !this.alive ? "dead" : this.failures > 0 ? "failed" : "running";
  }

  /** The app's registry client runs and reaches the registry: ready (a draining app has deregistered) and not dead or hung. */
  get canHeartbeat(): boolean {
    return this.connectable && this.currentPhase === "ready";
  }

  /** A readiness or health probe would succeed now. */
  get passesReadiness(): boolean {
    return this.connectable && this.currentPhase === "ready";
  }

  addListener(listener: LifeListener<S>): void {
    (this.listeners ??= []).push(listener);
  }

  /** A standby slot (autoscaling headroom, a rollout's new pod): no process until `boot`. Build time only. */
  park(): void {
    this.change(false, false, () => this.moveTo("stopped", true));
  }

  /** pod-kill: the process is gone; a killed instance stays `stopped` until restarted. */
  kill(): void {
    this.change(false, this.listening, () => {
      if (this.currentPhase !== "stopped") this.moveTo("stopped", false);
    });
  }

  /** Back from a kill: a new process, at once through `starting` to `ready`. */
  restart(): void {
    this.change(true, true, () => {
      if (this.currentPhase === "stopped") this.moveTo("starting", true);
      if (this.currentPhase === "starting") this.moveTo("ready", true);
    });
  }

  /** pod-failure: unreachable until the returned undo is called (failures may overlap). */
  fail(): () => void {
    const before = this.connectable;
    this.failures++;
    this.recompute();
    this.tellReachability(before);
    let undone = false;
    return () => {
      if (undone) return;
      undone = true;
      const was = this.connectable;
      this.failures--;
      this.recompute();
      this.tellReachability(was);
    };
  }

  /** stopped → starting: a new container whose app does not accept connections yet. */
  boot(): void {
    this.change(true, false, () => this.moveTo("starting", true));
  }

  /** starting → ready: the app accepts connections. */
  becomeReady(): void {
    this.change(this.alive, true, () => this.moveTo("ready", true));
  }

  /** ready → draining: the pod is terminating; its endpoint is withdrawn but it still serves (a preStop hook). */
  beginDraining(): void {
    this.moveTo("draining", true);
  }

  /** SIGTERM reached the app: it stops accepting connections. */
  stopListening(): void {
    this.change(this.alive, false, null);
  }

  /** The end of a graceful termination: the pod is gone. */
  terminate(): void {
    this.change(false, false, () => this.moveTo("stopped", true));
  }

  /**
   * Sets `alive` and `listening`, derives reachability, makes the phase moves, and then tells
   * listeners whether reachability changed: phase listeners already see the new reachability.
   */
  private change(alive: boolean, listening: boolean, moves: (() => void) | null): void {
    const before = this.connectable;
    this.alive = alive;
    this.listening = listening;
    this.recompute();
    if (moves !== null) moves();
    this.tellReachability(before);
  }

  /** Reachability, derived: the process is alive, its app listens, and no pod-failure is in force. */
  private recompute(): void {
    this.connectable = this.alive && this.listening && this.failures === 0;
  }

  /** The single place the phase changes: checks the move against the table and tells the listeners. */
  private moveTo(to: Phase, graceful: boolean): void {
    const from = this.currentPhase;
    checkPhaseTransition(this.id, from, to);
    this.currentPhase = to;
    if (this.listeners !== null)
      for (const l of this.listeners) l.phaseChanged(this.subject, from, to, graceful);
  }

  private tellReachability(before: boolean): void {
    if (this.listeners === null || this.connectable === before) return;
    for (const l of this.listeners) l.reachabilityChanged(this.subject);
  }
}
