// The inbound sidecar's connection and RBAC steps, ahead of inbound faults, rate limit and queue
// (Envoy: the listener's TLS handshake, then the HTTP RBAC filter). Per calling source the
// connection is mTLS, plaintext, or refused (see peerAuthentication.ts); per operation and source
// the Istio decision is looked up in a table compiled at build time, so a call costs two array
// reads. A refused try is closed at once (503 connect failure); a denied one is answered 403
// (Envoy's "RBAC: access denied") without reaching the queue, and counted per edge and policy.
// Connections: one long-lived (HTTP/2) connection per calling proxy and instance, opened by the
// first try that needs it and again after the instance went down (kill or failure). Opening an
// mTLS connection costs `handshakeTime` (default lognormal(2.5ms, 0.4)): TLS 1.3 with client
// certificates needs one round trip more than the request (about 0.5–1 ms between pods of a zone)
// and two RSA-2048 signatures in sequence, the server's then the client's (Istio's default workload
// key; roughly 0.7–1 ms each on one core), plus the certificate checks. Tries that reach an
// instance while its connection is still being opened wait for it, as HTTP/2 streams queue behind
// a connecting client. The TCP handshake itself, which plaintext pays too, is not modelled.
import type { Distribution } from "../../kernel/distribution.ts";
import { childSite, Purpose } from "../../kernel/keyedDraws.ts";
import type { Call, CallSender } from "../../model/call.ts";
import type { SimContext } from "../../model/context.ts";
import type { InboundSecurity, InboundTarget } from "../../model/inbound.ts";
import type { Operation } from "../../model/operation.ts";
import { Channel } from "./peerAuthentication.ts";
import type { SecurityStats } from "./stats.ts";

/** Envoy's RBAC filter answers a denied request with 403 Forbidden. */
export const FORBIDDEN = 403;
/** A verdict: allowed. */
export const ALLOWED = -1;
/** A verdict: denied because the workload has ALLOW policies and none matched (else a verdict is the DENY policy's index). */
export const NO_ALLOW_MATCH = -2;
/** Salt of the handshake's keyed draw: childSite(call.site, HANDSHAKE_SALT), apart from tries' and call steps' salts. */
const HANDSHAKE_SALT = 0x5ec7;

/** What every instance of one service shares: the compiled tables and where to count. */
export interface WorkloadGuard {
  readonly serviceIndex: number;
  /** The connection each calling source makes (by EdgeSource index): a Channel code. */
  readonly channels: Uint8Array;
  /** Per operation, the verdict for each source (ALLOWED, NO_ALLOW_MATCH or a DENY policy's index); null: no policy applies. */
  readonly verdicts: ReadonlyMap<Operation, Int32Array> | null;
  /** Global indexes of the ALLOW policies that apply (they share the NO_ALLOW_MATCH denials). */
  readonly allowPolicies: readonly number[];
  /** The cost of opening an mTLS connection, or null when it costs nothing (so connections are not tracked). */
  readonly handshakeTime: Distribution | null;
  readonly stats: SecurityStats;
  readonly ctx: SimContext;
}

export class InboundSidecar implements InboundSecurity {
  /** When each calling proxy's connection to this instance is (or was) ready. */
  private readonly connections = new Map<CallSender, number>();

  constructor(private readonly guard: WorkloadGuard) {}

  intercept(call: Call, instance: InboundTarget): boolean {
    if (!instance.reachable) return false; // nothing listens: admission fails the connect
    const guard = this.guard;
    const proxy = call.sender;
    const source = proxy.source.index;
    if (source >= guard.channels.length) return false; // not a service's or a load's proxy: nothing to check
    const edge = guard.stats.edge(source, guard.serviceIndex);
    const channel = guard.channels[source];
    if (channel === Channel.refused) {
      if (call.request.measured) guard.stats.refused[edge]++;
      instance.refuse(call);
      return true;
    }
    const verdict = guard.verdicts === null ? ALLOWED : guard.verdicts.get(call.operation)![source];
    const wait =
      channel === Channel.mtls && guard.handshakeTime !== null
        ? this.connect(proxy, call, edge)
        : 0;
    if (wait > 0) {
      guard.ctx.scheduler.postAfter(wait, () => this.connected(call, instance, verdict, edge));
      return true;
    }
    if (verdict === ALLOWED) return false;
    this.deny(call, instance, verdict, edge);
    return true;
  }

  connectionsLost(): void {
    this.connections.clear();
  }

  /** The wait for a new connection, drawing the handshake time when this try opens it. */
  private connect(proxy: CallSender, call: Call, edge: number): number {
    const guard = this.guard;
    const now = guard.ctx.scheduler.now;
    const ready = this.connections.get(proxy);
    if (ready !== undefined) return ready > now ? ready - now : 0;
    const time = guard.handshakeTime!;
    const request = call.request;
    const ms = time.isConstant
      ? time.mean
      : time.sample(
          guard.ctx.draws.begin(
            request.seedA,
            request.seedB,
            childSite(call.site, HANDSHAKE_SALT),
            Purpose.networkOut,
          ),
        );
    this.connections.set(proxy, now + ms);
    guard.stats.handshake(edge, ms);
    return ms;
  }

  /** The connection is up: the request goes through the RBAC filter (unless the instance went down meanwhile). */
  private connected(call: Call, instance: InboundTarget, verdict: number, edge: number): void {
    if (!instance.reachable) return instance.admit(call);
    if (verdict === ALLOWED) return instance.resume(call);
    this.deny(call, instance, verdict, edge);
  }

  private deny(call: Call, instance: InboundTarget, verdict: number, edge: number): void {
    if (call.request.measured)
      this.guard.stats.deny(edge, verdict === NO_ALLOW_MATCH ? this.guard.allowPolicies : verdict);
    instance.answerAtOnce(call, FORBIDDEN);
  }
}
