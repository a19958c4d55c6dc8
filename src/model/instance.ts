// One instance of a service: `concurrency` worker slots and a FIFO waiting room of bounded
// capacity (a full room answers 503 at once). A call holds a slot for its service time; with
// `threading: blocking` it keeps the slot while its downstream calls run (thread per request),
// with `async` it gives the slot back first (event loop). Busy slot-time is integrated from the
// end of warm-up on, for utilisation. An operation's own error is decided after its service time.
import type { Distribution } from "../kernel/distribution.ts";
import { Fifo } from "../kernel/fifo.ts";
import { LruCache } from "./lruCache.ts";
import { TimeWeighted } from "../kernel/timeWeighted.ts";
import { Purpose } from "../kernel/keyedDraws.ts";
import { CallEvent, type Call, type Outbound } from "./call.ts";
import { runSteps } from "./callGraph.ts";
import type { SimContext } from "./context.ts";
import { Status, type EndUserRequest } from "./request.ts";
import type { Service } from "./service.ts";
import type { VersionSpec } from "../scenario/types.ts";

export class Instance {
  /** The instance's own sidecar, through which its downstream calls go. Set by the builder. */
  outbound!: Outbound;
  private readonly queue = new Fifo<Call>();
  /** Worker slots in use. */
  private readonly busy: TimeWeighted;
  /** Calls present: waiting or in service (or, if blocking, waiting on downstream calls). */
  private readonly present: TimeWeighted;
  /** Measured calls this instance answered (rejections included). */
  requests = 0;
  /** Most calls present at once. */
  activeMax = 0;
  /** Measured calls whose key was (not) in this instance's cache. */
  cacheHits = 0;
  cacheMisses = 0;
  private readonly cache: LruCache | null;

  constructor(
    readonly id: string,
    readonly index: number,
    readonly service: Service,
    readonly zone: string,
    /** The version (instance group) this instance belongs to: labels, weight, speed. */
    readonly version: VersionSpec,
    private readonly ctx: SimContext,
  ) {
    this.cache = service.spec.cache === null ? null : new LruCache(service.spec.cache.capacity);
    this.busy = new TimeWeighted(ctx.warmupMs);
    this.present = new TimeWeighted(ctx.warmupMs);
  }

  accept(call: Call): void {
    call.instance = this;
    call.arrivedAt = this.ctx.scheduler.now;
    if (this.busy.level < this.service.spec.concurrency) {
      this.enter();
      this.start(call);
    } else if (this.queue.length < this.service.spec.queueCapacity) {
      this.enter();
      this.queue.push(call);
    } else {
      if (call.request.measured) this.requests++;
      this.ctx.observer.callRejected(call);
      this.deliver(call, Status.unavailable);
    }
  }

  /** Worker-slot time used after warm-up, in slot-milliseconds, up to `now`. */
  busyTime(now: number): number {
    return this.busy.integral(now);
  }

  /** Call-milliseconds spent present at this instance after warm-up, up to `now`. */
  presentTime(now: number): number {
    return this.present.integral(now);
  }

  private enter(): void {
    this.present.add(this.ctx.scheduler.now, 1);
    if (this.present.level > this.activeMax) this.activeMax = this.present.level;
  }

  private start(call: Call): void {
    const ctx = this.ctx;
    const now = ctx.scheduler.now;
    this.busy.add(now, 1);
    call.startedAt = now;
    ctx.observer.callStarted(call, now - call.arrivedAt);
    const request = call.request;
    const work = this.serviceTimeOf(call);
    const factor = this.version.serviceTimeFactor;
    const serviceTime =
      factor *
      (work.isConstant ? work.mean : work.sample(ctx.draws.begin(request.seedA, request.seedB, call.site, Purpose.serviceTime)));
    call.pendingEvent = CallEvent.finishWork;
    ctx.scheduler.postFire(serviceTime, call);
  }

  /** The operation's service time, or the cache's hit time when the request's key is cached here. */
  private serviceTimeOf(call: Call): Distribution {
    const cache = this.cache;
    const request = call.request;
    if (cache === null || request.keyId < 0) return call.operation.serviceTime;
    const hit = cache.touch(request.keyId);
    if (request.measured) {
      if (hit) this.cacheHits++;
      else this.cacheMisses++;
    }
    return hit ? this.service.spec.cache!.hitServiceTime : call.operation.serviceTime;
  }

  /** The call's service time is over (its scheduled event). */
  finishWork(call: Call): void {
    const op = call.operation;
    if (op.errorRate > 0 && this.drawError(call.request, call.site) < op.errorRate) {
      this.release();
      this.answer(call, Status.serverError);
    } else if (op.steps.length === 0) {
      this.release();
      this.answer(call, Status.ok);
    } else if (this.service.spec.threading === "async") {
      this.release();
      runSteps(op.steps, call, this.outbound, this.ctx, (status) => this.answer(call, status));
    } else {
      runSteps(op.steps, call, this.outbound, this.ctx, (status) => {
        this.release();
        this.answer(call, status);
      });
    }
  }

  private drawError(request: EndUserRequest, site: number): number {
    return this.ctx.draws.begin(request.seedA, request.seedB, site, Purpose.error).next();
  }

  private release(): void {
    this.busy.add(this.ctx.scheduler.now, -1);
    const next = this.queue.shift();
    if (next !== undefined) this.start(next);
  }

  private answer(call: Call, status: number): void {
    this.present.add(this.ctx.scheduler.now, -1);
    if (call.request.measured) this.requests++;
    this.ctx.observer.callAnswered(call, status);
    this.deliver(call, status);
  }

  /** Sends the answer back across the network to the caller's proxy. */
  private deliver(call: Call, status: number): void {
    const ctx = this.ctx;
    const outbound = call.outbound!;
    if (ctx.network.instantaneous) {
      outbound.receive(call, status);
    } else {
      const delay = ctx.network.delay(call.request, call.site, true, call.crossesZones);
      call.pendingEvent = CallEvent.answer;
      call.answerStatus = status;
      ctx.scheduler.postFire(delay, call);
    }
  }
}
