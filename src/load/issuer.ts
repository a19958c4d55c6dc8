// Turns "a request is due now" into an end-user request sent through one of the load's client
// proxies, and reports it to the load's observer when it is offered and when it ends. Each
// request gets two 32-bit seeds from the load's own stream: the key of all its keyed draws.
import { Purpose } from "../kernel/keyedDraws.ts";
import type { Rng } from "../kernel/random.ts";
import type { Outbound } from "../model/call.ts";
import type { SimContext } from "../model/context.ts";
import type { LoadObserver } from "../model/observer.ts";
import type { Operation } from "../model/operation.ts";
import { EndUserRequest, ROOT_SITE, type Waiter } from "../model/request.ts";
import type { CallTracer, TraceOrigin } from "../model/tracer.ts";
import type { AttributeDraws } from "./attributes.ts";
import type { KeySpace } from "./keys.ts";

export class RequestIssuer {
  constructor(
    readonly loadIndex: number,
    private readonly target: Operation,
    private readonly clients: readonly (Outbound & TraceOrigin)[],
    private readonly seeds: Rng,
    private readonly ctx: SimContext,
    private readonly observer: LoadObserver,
    private readonly ids: { next: number },
    /** The load's key space, and the id of its key 0 (keys of one name share ids across loads). */
    private readonly keys: { space: KeySpace; idBase: number } | null,
    private readonly attributes: AttributeDraws | null,
  ) {}

  /**
   * Sends one request due at `scheduledAt` (now, for open load); `then` runs when it ends, which
   * may be before this returns (an instant rejection over a zero-latency network).
   */
  issue(
    scheduledAt: number,
    client: number,
    then?: (status: number, request: EndUserRequest) => void,
  ): void {
    const request = new EndUserRequest(
      this.ids.next++,
      this.loadIndex,
      scheduledAt,
      scheduledAt >= this.ctx.warmupMs,
      // As int32s (the same bits; draws use them as int32), fewer of which V8 boxes than uint32s.
      this.seeds.nextUint32() | 0,
      this.seeds.nextUint32() | 0,
    );
    if (this.keys !== null) {
      const u = this.ctx.draws.begin(request.seedA, request.seedB, ROOT_SITE, Purpose.key).next();
      const index = this.keys.space.index(u);
      request.keyName = this.keys.space.spec.name;
      request.keyId = this.keys.idBase + index;
      // Its hashes are looked up only if a hashing balancer asks (the sidecar's pick step).
      request.keyHashes = this.keys.space;
      request.keyIndex = index;
    }
    if (this.attributes !== null)
      request.attributes = this.attributes.draw(request, this.ctx.draws);
    this.observer.offered(request);
    const tracer = this.ctx.tracer;
    if (tracer !== null) tracer.requestIssued(request, this.clients[client], this.target);
    const end = new RequestEnd(request, this.observer, tracer, then);
    this.clients[client].send(request, this.target, ROOT_SITE, end, 0, null);
  }

  /** The client proxy for the k-th request or virtual user: a fixed rotation. */
  clientFor(k: number): number {
    return k % this.clients.length;
  }
}

/** Waits for the answer to an end-user request's first call: the request ends with it. */
class RequestEnd implements Waiter {
  constructor(
    private readonly request: EndUserRequest,
    private readonly observer: LoadObserver,
    private readonly tracer: CallTracer | null,
    private readonly then: ((status: number, request: EndUserRequest) => void) | undefined,
  ) {}

  answered(status: number): void {
    this.observer.finished(this.request, status);
    if (this.tracer !== null) this.tracer.requestFinished(this.request, status);
    if (this.then !== undefined) this.then(status, this.request);
  }
}
