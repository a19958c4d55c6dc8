// One instance of a service: `concurrency` worker slots and a FIFO waiting room of bounded
// capacity (a full room answers 503 at once). A call holds a slot for its service time; with
// `threading: blocking` it keeps the slot while its downstream calls run (thread per request),
// with `async` it gives the slot back first (event loop). Busy slot-time is integrated from the
// end of warm-up on, for utilisation. An operation's own error is decided after its service time.
// Faults act here too: a dead or failed instance refuses connections and resets the calls it held;
// cpu-stress stretches service times; inbound delay and abort rules act before the queue, after
// the inbound sidecar's mTLS and authorization step (when the scenario has security). A call
// the caller cancelled is dropped when the server next looks at it (dequeue, end of work, answer),
// as a server that checks its request's context; work already running is not interrupted unless
// its operation aborts on cancel (onCancel: abort: the worker is freed at once). A call's business
// effects (model/effects.ts) commit when its own work ends without error, or when it is aborted
// past its commit point.
// Its life (phase, reachability; instanceLife.ts) is kept apart: the verbs here (kill, restart,
// fail, boot, ...) do the station's part (reset the calls, a cold cache) and move its life.
// (Over 400 lines: admission, work, abort and answer share the station's private state -- its
// slots, queue and calls present -- which a split would have to expose.)
import type { Distribution } from "../kernel/distribution.ts";
import { Fifo } from "../kernel/fifo.ts";
import { Purpose } from "../kernel/keyedDraws.ts";
import { TimeWeighted } from "../kernel/timeWeighted.ts";
import {
  type Call,
  CallEvent,
  type Outbound,
  Reason,
  type ReasonCode,
  type Station,
} from "./call.ts";
import { runSteps } from "./callGraph.ts";
import type { SimContext } from "./context.ts";
import { CpuStress } from "./cpuStress.ts";
import { Admission, type GatedCall, type IdempotencyGate, type ParkedAnswer } from "./effects.ts";
import type { Locality, ServiceRef } from "./endpoint.ts";
import type { InboundLimiter, InboundRules, InboundSecurity, InboundTarget } from "./inbound.ts";
import { InstanceLife, type LifeListener, type Phase, type ProcessState } from "./instanceLife.ts";
import { LruCache } from "./lruCache.ts";
import { PresentCalls } from "./presentCalls.ts";
import { type EndUserRequest, Status } from "./request.ts";
import type { ServiceModelSpec, VersionSpec } from "./spec.ts";
import { warmupFactor } from "./warmup.ts";

// Imported constants as this module's own, which V8 folds into optimised code (an imported
// binding is a load and a hole check at each read: performance.md, session 8).
const OK = Status.ok;
const SERVER_ERROR = Status.serverError;
const UNAVAILABLE = Status.unavailable;
const ANSWER = Reason.answer;
const FINISH_WORK = CallEvent.finishWork;
const ANSWER_EVENT = CallEvent.answer;
const SERVICE_TIME = Purpose.serviceTime;
const ERROR = Purpose.error;

/** A running call's own work, for aborting it (onCancel: abort). */
interface RunningWork {
  startedAt: number;
  endsAt: number;
}

/** Told of an instance's phase transitions and reachability changes (instanceLife.ts). */
export type LifecycleListener = LifeListener<Instance>;

/** What an instance knows of its service: its name and index, and its settings (the Service class is one). */
export interface InstanceService extends ServiceRef {
  readonly spec: ServiceModelSpec;
}

export class Instance implements Station, InboundTarget, ParkedAnswer {
  /** The instance's own sidecar, through which its downstream calls go. Set by the builder. */
  outbound!: Outbound;
  /** The inbound sidecar's local rate limit, or null. Set by the builder. */
  limiter: InboundLimiter | null = null;
  /** Delay and abort rules of the fault timeline that apply here, or null. */
  faults: InboundRules | null = null;
  /** mTLS and authorization at the inbound sidecar, or null when the scenario has none. Set by the builder. */
  security: InboundSecurity | null = null;
  private readonly queue = new Fifo<Call>();
  /** When this process started accepting connections, if it is still warming up (lifecycle.warmup); pods present at t = 0 are warm. */
  private warmSinceMs = 0;
  /** Until when service times are stretched (-Infinity: warm). */
  private warmUntilMs = Number.NEGATIVE_INFINITY;
  /** Worker slots in use. */
  private readonly busy: TimeWeighted;
  /** Calls present: waiting or in service (or, if blocking, waiting on downstream calls). */
  private readonly present: PresentCalls;
  /**
   * 1 while this is a serving pod: from t = 0 (or from becoming ready) until parked or terminated.
   * A fault's kill or failure leaves it at 1 (the pod is still the Deployment's, its capacity lost
   * to the fault); a standby slot never started and a pod still starting are at 0. Utilisation
   * divides by this worker time, as Kubernetes' HPA counts only ready pods.
   */
  private readonly serving: TimeWeighted;
  /** The times `serving` flipped, in order (serving from t = 0 until the first): for the pod count's min and max. */
  readonly servingFlips: number[] = [];
  /** Measured calls this instance answered (rejections included). */
  requests = 0;
  /** Measured calls whose key was (not) in this instance's cache. */
  cacheHits = 0;
  cacheMisses = 0;
  private cache: LruCache | null;
  /** Its phase and reachability, told to lifecycle listeners (the registry, rollouts, ...) as they change. */
  readonly life: InstanceLife<Instance>;
  /** Istio's locality (region/zone/subzone); the builder sets region and subzone from the scenario. */
  locality: Locality;
  /** cpu-stress faults in force. */
  private readonly cpuStress = new CpuStress();
  /**
   * Calls in their own work whose operation aborts on cancel, with when that work started and
   * ends; null until the first such call (operations that finish what they start never need it).
   */
  private running: Map<Call, RunningWork> | null = null;
  // The service's settings the per-call steps read, copied once by the constructor (a service's
  // spec does not change during a run): a field of the instance instead of two loads through
  // service and spec per call. (Each starts as a number so that V8 keeps it as one, not as a
  // tagged field that first held undefined.)
  /** Worker slots (the service's concurrency). */
  private readonly slots: number = 0;
  private readonly queueCapacity: number = 0;
  /** threading: async (a slot is given back before the downstream calls). */
  private readonly async: boolean = false;
  /** The version's serviceTimeFactor times the cpu-stress factor in force (kept by `stressBy`). */
  private stretch = 1;

  constructor(
    readonly id: string,
    readonly index: number,
    readonly service: InstanceService,
    readonly zone: string,
    /** The version (instance group) this instance belongs to: labels, weight, speed. */
    readonly version: VersionSpec,
    private readonly ctx: SimContext,
  ) {
    this.locality = { region: "", zone, subzone: "" };
    this.cache = this.newCache();
    this.life = new InstanceLife(id, this);
    this.busy = new TimeWeighted(ctx.warmupMs);
    this.present = new PresentCalls(ctx.warmupMs, ctx.tracksCalls);
    this.serving = new TimeWeighted(ctx.warmupMs);
    this.serving.add(0, 1);
    const spec = service.spec;
    this.slots = spec.concurrency;
    this.queueCapacity = spec.queueCapacity;
    this.async = spec.threading === "async";
    this.stretch = version.serviceTimeFactor * this.cpuStress.factor;
  }

  /** What the run reports of its process: running, failed (a pod-failure in force) or dead. */
  get processState(): ProcessState {
    return this.life.processState;
  }

  /** Whether a connection to this instance succeeds now: alive, listening, not failed. */
  get reachable(): boolean {
    return this.life.reachable;
  }

  /** See instanceLife.ts; instances built at t = 0 are ready. */
  get phase(): Phase {
    return this.life.phase;
  }

  /** The app's registry client runs and reaches the registry (see instanceLife.ts). */
  get canHeartbeat(): boolean {
    return this.life.canHeartbeat;
  }

  /** A readiness or health probe would succeed now. */
  get passesReadiness(): boolean {
    return this.life.passesReadiness;
  }

  addLifecycleListener(listener: LifecycleListener): void {
    this.life.addListener(listener);
  }

  accept(call: Call): void {
    call.instance = this;
    call.arrivedAt = this.ctx.scheduler.now;
    if (this.security !== null && this.security.intercept(call, this)) return;
    if (this.faults !== null && this.faults.intercept(call, this)) return;
    this.admit(call);
  }

  /** A call the inbound security let through after holding it (a handshake): on to the faults and admission. */
  resume(call: Call): void {
    call.arrivedAt = this.ctx.scheduler.now;
    if (this.faults !== null && this.faults.intercept(call, this)) return;
    this.admit(call);
  }

  /** Closes a call's connection before any request is read (plaintext to STRICT mTLS): a connect failure (503). */
  refuse(call: Call): void {
    this.deliver(call, Status.unavailable, Reason.connectFailure);
  }

  /** Past the inbound faults: the connection, the rate limit, then a slot, the queue, or a 503. */
  admit(call: Call): void {
    if (!this.reachable) return this.deliver(call, Status.unavailable, Reason.connectFailure);
    if (call.cancelled && call.operation.abortOnCancel) {
      // A server that honours its request's context never starts work its caller gave up on.
      if (this.ctx.tracer !== null) this.ctx.tracer.callCancelled(call);
      return;
    }
    if (this.limiter !== null && !this.limiter.tryConsume(this.ctx.scheduler.now)) {
      if (call.request.measured) this.requests++;
      this.ctx.observer.callRejected(call, Status.tooManyRequests);
      return this.deliver(call, Status.tooManyRequests, Reason.rateLimited);
    }
    if (this.busy.level < this.slots) {
      this.present.enter(call, this.ctx.scheduler.now);
      this.start(call);
    } else if (this.queue.length < this.queueCapacity) {
      this.present.enter(call, this.ctx.scheduler.now);
      this.queue.push(call);
    } else {
      if (call.request.measured) this.requests++;
      this.ctx.observer.callRejected(call, UNAVAILABLE);
      this.deliver(call, UNAVAILABLE, ANSWER);
    }
  }

  /** Answers a call at once, before the queue (an inbound abort fault). */
  answerAtOnce(call: Call, status: number): void {
    if (call.request.measured) this.requests++;
    this.ctx.observer.callRejected(call, status);
    this.deliver(call, status, Reason.answer);
  }

  /** Worker-slot time used after warm-up, in slot-milliseconds, up to `now`. */
  busyTime(now: number): number {
    return this.busy.integral(now);
  }

  /** Milliseconds this pod was serving (see `serving`) after warm-up, up to `now`. */
  servingTime(now: number): number {
    return this.serving.integral(now);
  }

  /** Milliseconds this pod was serving since time 0, warm-up included. */
  servingTimeFromZero(now: number): number {
    return this.serving.integralFromZero(now);
  }

  /** Worker-slot time used since time 0 (warm-up included), for monitoring. */
  busyTimeFromZero(now: number): number {
    return this.busy.integralFromZero(now);
  }

  /** Calls present now: queued, in service, or (blocking) waiting on downstream calls. */
  get inFlight(): number {
    return this.present.count.level;
  }

  /** Most calls present at once. */
  get activeMax(): number {
    return this.present.max;
  }

  /** Calls waiting for a worker slot now. */
  get queueLength(): number {
    return this.queue.length;
  }

  /** Call-milliseconds spent present at this instance after warm-up, up to `now`. */
  presentTime(now: number): number {
    return this.present.count.integral(now);
  }

  /** pod-kill: every call present is reset; the instance refuses connections until `restart`. */
  kill(): void {
    this.dropConnections();
    this.dropAll();
    this.life.kill();
  }

  /** Back from a kill, with an empty queue and a cold cache. */
  restart(): void {
    this.cache = this.newCache();
    // A fault's own restart (restartAfter) is ready at once; pods with a lifecycle boot through
    // control/recovery/workload.ts instead, which waits out their startup time.
    this.life.restart();
    this.startWarmingUp();
  }

  /** pod-failure: like a kill until the returned undo is called (failures may overlap). */
  fail(): () => void {
    this.dropConnections();
    this.dropAll();
    return this.life.fail();
  }

  /** A standby slot (autoscaling headroom, a rollout's new pod): no process until `boot`. Build time only. */
  park(): void {
    this.setServing(false);
    this.life.park();
  }

  /** stopped → starting: a new container whose app does not accept connections yet. */
  boot(): void {
    this.cache = this.newCache();
    this.life.boot();
  }

  /** starting → ready: the app accepts connections. */
  becomeReady(): void {
    this.setServing(true);
    this.life.becomeReady();
    this.startWarmingUp();
  }

  /** A new process accepts connections: cold until the service's warm-up is over. */
  private startWarmingUp(): void {
    const warmup = this.service.spec.warmup;
    if (warmup === null) return;
    this.warmSinceMs = this.ctx.scheduler.now;
    this.warmUntilMs = this.warmSinceMs + warmup.durationMs;
  }

  /** ready → draining: the pod is terminating; its endpoint is withdrawn but it still serves (a preStop hook). */
  beginDraining(): void {
    this.life.beginDraining();
  }

  /** SIGTERM reached the app: it stops accepting connections and finishes the calls it has. */
  stopListening(): void {
    this.life.stopListening();
  }

  /** The end of a graceful termination: calls still present (past the grace period) are reset, the pod is gone. */
  terminate(): void {
    this.dropConnections();
    if (this.present.count.level > 0) this.dropAll();
    this.setServing(false);
    this.life.terminate();
  }

  private setServing(on: boolean): void {
    const level = on ? 1 : 0;
    if (this.serving.level === level) return;
    const now = this.ctx.scheduler.now;
    this.serving.add(now, level - this.serving.level);
    this.servingFlips.push(now);
  }

  /** The process went down: its connections are gone, so each caller's next try opens a new one. */
  private dropConnections(): void {
    if (this.security !== null) this.security.connectionsLost();
  }

  /** No call is present (a shutting-down app can exit early). */
  get idle(): boolean {
    return this.present.count.level === 0;
  }

  /** cpu-stress: service times started from now on take `factor` times longer, until undone. */
  stressBy(factor: number): () => void {
    const undo = this.cpuStress.add(factor);
    this.stretch = this.version.serviceTimeFactor * this.cpuStress.factor;
    return () => {
      undo();
      this.stretch = this.version.serviceTimeFactor * this.cpuStress.factor;
    };
  }

  private newCache(): LruCache | null {
    return this.service.spec.cache === null ? null : new LruCache(this.service.spec.cache.capacity);
  }

  /** Resets every call present (their callers learn after the response leg) and empties the instance. */
  private dropAll(): void {
    if (!this.ctx.tracksCalls)
      throw new Error(
        `instance ${this.id} cannot fail its calls: the world was built without call tracking`,
      );
    const now = this.ctx.scheduler.now;
    for (let call = this.present.first(); call !== null; call = call.nextPresent) {
      call.abandoned = true;
      const gate = call.operation.idempotency;
      if (gate !== null) gate.end(call, 0); // lost with the instance: nothing stored
      if (call.cancelled) {
        if (this.ctx.tracer !== null) this.ctx.tracer.callCancelled(call);
        continue;
      }
      if (call.request.measured) this.requests++;
      this.ctx.observer.callAnswered(call, Status.unavailable);
      this.deliver(call, Status.unavailable, Reason.reset, true);
    }
    while (this.queue.shift() !== undefined);
    if (this.running !== null) this.running.clear();
    this.busy.add(now, -this.busy.level);
    this.present.clear(now);
  }

  /** A worker picks `call` up: runs its work, unless its key store answers or parks it (false: no slot taken). */
  private start(call: Call): boolean {
    const ctx = this.ctx;
    const now = ctx.scheduler.now;
    const op = call.operation;
    if (op.idempotency !== null && !this.admitted(call, op.idempotency)) return false;
    this.busy.add(now, 1);
    ctx.observer.callStarted(call, now - call.arrivedAt);
    // The rare steps (a key cache, warm-up, abort on cancel) are calls of their own, so that the
    // budget V8 inlines into this function within (920 bytes of bytecode) goes to the draw: with
    // them inline, the uniform and the normal quantile came back from calls it did not inline,
    // each boxed into a new heap number.
    const work = this.cache === null ? op.serviceTime : this.cachedServiceTime(call, this.cache);
    let factor = this.stretch;
    if (now < this.warmUntilMs) factor *= this.warmupStretch(now);
    // Two products, not the product of a choice: the choice merged a polymorphic `mean` (a tagged
    // value) with the draw, so V8 boxed every draw into a new heap number (81 MB a million
    // checkouts, where `sample` was inlined). Each branch gives the same double as before.
    let serviceTime: number;
    if (work.isConstant) serviceTime = factor * work.mean;
    else serviceTime = factor * work.sample(ctx.draws.beginFor(call, SERVICE_TIME));
    call.pendingEvent = FINISH_WORK;
    ctx.scheduler.postFire(serviceTime, call);
    if (op.abortOnCancel) this.trackRunning(call, now, serviceTime);
    return true;
  }

  /** How much longer a service time is at `now`, while the process warms up (warmup.ts). */
  private warmupStretch(now: number): number {
    return warmupFactor(this.service.spec.warmup!, now - this.warmSinceMs);
  }

  /** Keeps when a call's work started and ends, for aborting it (its operation aborts on cancel). */
  private trackRunning(call: Call, now: number, serviceTime: number): void {
    if (this.running === null) this.running = new Map();
    this.running.set(call, { startedAt: now, endsAt: now + serviceTime });
  }

  /** Asks the operation's key store: run the call (true), or it was answered or parked here (false). */
  private admitted(call: Call, gate: IdempotencyGate): boolean {
    const verdict = gate.begin(call, this);
    if (verdict === Admission.proceed) return true;
    this.ctx.observer.callStarted(call, this.ctx.scheduler.now - call.arrivedAt);
    if (verdict !== Admission.parked) this.answer(call, verdict); // a replay, or 409
    return false;
  }

  /** The key store answers a call it parked here (ParkedAnswer), when the first with its key ended. */
  answerParked(call: GatedCall, status: number): void {
    this.answer(call as Call, status);
  }

  /**
   * The caller cancelled `call` and its operation aborts on cancel (model/call.ts's cancelCall): work
   * still running stops now and frees its worker; its effects have committed if the work was past
   * its commit point (and would not have failed). A call queued or on its way is dropped later.
   */
  abort(call: Call): void {
    const work = this.running === null ? undefined : this.running.get(call);
    if (work === undefined) return;
    this.running!.delete(call);
    const now = this.ctx.scheduler.now;
    call.abandoned = true; // its pending end of work is void
    const op = call.operation;
    if (op.idempotency !== null) op.idempotency.end(call, 0); // aborted: nothing stored
    const commitAt = work.startedAt + op.commitPoint * (work.endsAt - work.startedAt);
    if (op.effects !== null && now >= commitAt && !this.fails(call))
      op.effects.committed(call.request, call);
    if (this.ctx.tracer !== null) this.ctx.tracer.callCancelled(call);
    this.present.leave(call, now);
    this.release();
  }

  /** The operation's service time, or the cache's hit time when the request's key is cached here. */
  private cachedServiceTime(call: Call, cache: LruCache): Distribution {
    const request = call.request;
    if (request.keyId < 0) return call.operation.serviceTime;
    const hit = cache.touch(request.keyId);
    if (request.measured) {
      if (hit) this.cacheHits++;
      else this.cacheMisses++;
    }
    return hit ? this.service.spec.cache!.hitServiceTime : call.operation.serviceTime;
  }

  /** The call's service time is over (its scheduled event). */
  finishWork(call: Call): void {
    if (call.abandoned) return;
    const op = call.operation;
    if (op.abortOnCancel) this.running!.delete(call);
    if (call.cancelled) {
      // Work that ran to its end committed its effects, though nobody waits for its answer.
      if (op.effects !== null || op.idempotency !== null) this.finishedUnheard(call);
      if (this.ctx.tracer !== null) this.ctx.tracer.callCancelled(call);
      this.release();
      this.present.leave(call, this.ctx.scheduler.now);
      return;
    }
    if (this.fails(call)) {
      this.release();
      this.answer(call, SERVER_ERROR);
      return;
    }
    // The local transaction commits before the downstream calls go out.
    if (op.effects !== null) op.effects.committed(call.request, call);
    if (op.steps.length === 0 && op.saga === null) {
      this.release();
      this.answer(call, OK);
    } else {
      if (this.async) this.release();
      if (op.saga === null) runSteps(op.steps, call, this.outbound, this.ctx);
      else op.saga.run(call, this.outbound, this.ctx);
    }
  }

  /** A cancelled call's work ran to its end: its effects commit and its key stores the result. */
  private finishedUnheard(call: Call): void {
    const op = call.operation;
    const failed = this.fails(call);
    if (op.effects !== null && !failed) op.effects.committed(call.request, call);
    if (op.idempotency !== null) op.idempotency.end(call, failed ? SERVER_ERROR : OK);
  }

  /**
   * Whether the call's own work ends in an error (its operation's errorRate; a keyed draw). The
   * draw is compared here, not returned by a method of its own: a double returned from a call V8
   * did not inline is boxed into a new heap number (33 MB a million checkouts), a boolean is not.
   */
  private fails(call: Call): boolean {
    const rate = call.operation.errorRate;
    return rate > 0 && this.ctx.draws.beginFor(call, ERROR).next() < rate;
  }

  /** The call's downstream steps ended with `status` (see callGraph.ts): answer it. */
  stepsDone(call: Call, status: number): void {
    if (this.async) return this.answer(call, status);
    if (call.abandoned) return;
    this.release(); // a blocking call held its worker slot until now
    this.answer(call, status);
  }

  private release(): void {
    this.busy.add(this.ctx.scheduler.now, -1);
    for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
      if (!next.cancelled) {
        if (this.start(next)) return;
        // Answered or parked by its key store: the worker takes the next, unless the answer (on an
        // instantaneous network) already brought a call that took it.
        if (this.busy.level >= this.slots) return;
        continue;
      }
      if (this.ctx.tracer !== null) this.ctx.tracer.callCancelled(next);
      this.present.leave(next, this.ctx.scheduler.now); // dropped unstarted: the caller gave up on it
    }
  }

  private answer(call: Call, status: number): void {
    if (call.abandoned) return;
    const gate = call.operation.idempotency;
    if (gate !== null) gate.end(call, status);
    this.present.leave(call, this.ctx.scheduler.now);
    if (call.cancelled) {
      if (this.ctx.tracer !== null) this.ctx.tracer.callCancelled(call);
      return;
    }
    if (call.request.measured) this.requests++;
    this.ctx.observer.callAnswered(call, status);
    this.deliver(call, status, ANSWER);
  }

  /** Sends the answer back across the network to the caller's proxy. */
  private deliver(call: Call, status: number, reason: ReasonCode, asSideEvent = false): void {
    const ctx = this.ctx;
    call.answerReason = reason;
    if (ctx.tracer !== null) ctx.tracer.callAnswered(call, status, reason);
    if (ctx.network.instantaneous) {
      if (asSideEvent) ctx.scheduler.postAfter(0, () => call.receive(status));
      else call.receive(status);
      return;
    }
    const network = ctx.network;
    network.leg(call, true);
    const delay = network.legMs;
    if (asSideEvent) {
      // The call may already have an event pending (its end of work): a reset travels on its own.
      ctx.scheduler.postAfter(delay, () => call.receive(status));
      return;
    }
    call.pendingEvent = ANSWER_EVENT;
    call.answerStatus = status;
    if (network.legFixed) ctx.scheduler.postFireFixed(delay, call);
    else ctx.scheduler.postFire(delay, call);
  }
}
