// Security in a built world: compiles, for each service, the connection every caller makes
// (auto mTLS against the service's PeerAuthentication mode) and the Istio decision for every
// (operation, caller) pair, and gives its instances an inbound sidecar step only where there is
// something to do (a policy applies, a caller is refused, or new mTLS connections cost time), so a
// service with nothing to enforce pays one null check per call. Summarises what happened.

import type { SimContext } from "../../model/context.ts";
import type { Operation } from "../../model/operation.ts";
import type { Service } from "../../model/service.ts";
import { roundSig } from "../../result/round.ts";
import type {
  SecurityEdgeResult,
  SecurityPolicyResult,
  SecurityResult,
} from "../../result/security.ts";
import type { SecuritySpec } from "../spec.ts";
import { evaluateAuthorization, operationPath } from "./authorization.ts";
import { spiffeId, type WorkloadIdentity } from "./identity.ts";
import { ALLOWED, InboundSidecar, NO_ALLOW_MATCH, type WorkloadGuard } from "./inbound.ts";
import { Channel, channelOf } from "./peerAuthentication.ts";
import { SecurityStats } from "./stats.ts";

const CONNECTION_NAMES = ["mtls", "plaintext", "refused"] as const;

export class MeshSecurity {
  constructor(
    readonly spec: SecuritySpec,
    readonly stats: SecurityStats,
    /** Callers by EdgeSource index: services, then `load:<name>`. */
    private readonly sourceNames: readonly string[],
    private readonly serviceNames: readonly string[],
    /** By edge (source × services + service). */
    private readonly connections: Uint8Array,
  ) {}

  /** The result; `carried` lists the edges that carried measured calls (the run's edges). */
  result(carried: Iterable<{ source: string; target: string }>): SecurityResult {
    const { spec, stats } = this;
    const order = this.edgesInOrder(carried);
    const keyOf = (e: number) => `${this.sourceOf(e)}->${this.targetOf(e)}`;
    const edges: Record<string, SecurityEdgeResult> = {};
    for (const e of order) {
      edges[keyOf(e)] = {
        connection: CONNECTION_NAMES[this.connections[e]],
        handshakes: stats.handshakes[e],
        refused: stats.refused[e],
        denied: stats.denied[e],
      };
    }
    const edgeCount = this.connections.length;
    const policies = spec.authorizationPolicies.map((policy, p): SecurityPolicyResult => {
      const byEdge: Record<string, number> = {};
      let total = 0;
      for (const e of order) {
        const n = stats.deniedByPolicy[p * edgeCount + e];
        if (n > 0) byEdge[keyOf(e)] = n;
        total += n;
      }
      return {
        name: policy.name,
        service: policy.service,
        action: policy.action,
        denied: total,
        byEdge,
      };
    });
    const identities: Record<string, string | null> = {};
    this.sourceNames.forEach((name, s) => {
      const identity =
        s < spec.services.length ? spec.services[s].identity : spec.loads[s - spec.services.length];
      identities[name] = identity === null ? null : spiffeId(identity.principal);
    });
    const opened = sum(stats.handshakes);
    return {
      trustDomain: spec.trustDomain,
      mtls: {
        mesh: spec.mtls,
        services: Object.fromEntries(
          this.serviceNames.map((name, t) => [name, spec.services[t].mtls]),
        ),
      },
      identities,
      handshakes: {
        count: opened,
        meanMs: opened > 0 ? roundSig(stats.handshakeMsTotal / opened) : 0,
      },
      refused: sum(stats.refused),
      denied: sum(stats.denied),
      edges,
      policies,
    };
  }

  private sourceOf(edge: number): string {
    return this.sourceNames[Math.floor(edge / this.serviceNames.length)];
  }

  private targetOf(edge: number): string {
    return this.serviceNames[edge % this.serviceNames.length];
  }

  /** The edges that carried calls or saw a handshake, refusal or denial, by caller then service name. */
  private edgesInOrder(carried: Iterable<{ source: string; target: string }>): number[] {
    const stats = this.stats;
    const edgeOf = new Map<string, number>();
    this.sourceNames.forEach((source, s) => {
      this.serviceNames.forEach((target, t) => {
        edgeOf.set(`${source}->${target}`, stats.edge(s, t));
      });
    });
    const listed = new Set<number>();
    for (const { source, target } of carried) {
      const e = edgeOf.get(`${source}->${target}`);
      if (e !== undefined) listed.add(e);
    }
    for (let e = 0; e < this.connections.length; e++)
      if (stats.handshakes[e] + stats.refused[e] + stats.denied[e] > 0) listed.add(e);
    return [...listed].sort(
      (a, b) =>
        compareText(this.sourceOf(a), this.sourceOf(b)) ||
        compareText(this.targetOf(a), this.targetOf(b)),
    );
  }
}

/**
 * Compiles the scenario's security for the built services and loads (sources in EdgeSource order:
 * services by index, then loads) and installs an inbound step on the instances that need one.
 */
export function installSecurity(
  spec: SecuritySpec,
  services: readonly Service[],
  loadNames: readonly string[],
  ctx: SimContext,
): MeshSecurity {
  const callers: (WorkloadIdentity | null)[] = [
    ...spec.services.map((s) => s.identity),
    ...spec.loads,
  ];
  const stats = new SecurityStats(
    callers.length,
    services.length,
    spec.authorizationPolicies.length,
  );
  const connections = new Uint8Array(callers.length * services.length);
  const costly = !(spec.handshakeTime.isConstant && spec.handshakeTime.mean === 0);
  for (const service of services) {
    const mode = spec.services[service.index].mtls;
    const channels = Uint8Array.from(callers, (identity) => channelOf(identity !== null, mode));
    channels.forEach((channel, s) => {
      connections[stats.edge(s, service.index)] = channel;
    });
    const applicable = spec.authorizationPolicies.flatMap((policy, p) =>
      policy.service === null || policy.service === service.name ? [p] : [],
    );
    const guard: WorkloadGuard = {
      serviceIndex: service.index,
      channels,
      verdicts:
        applicable.length === 0
          ? null
          : verdictTable(spec, applicable, service.operations, callers, channels),
      allowPolicies: applicable.filter((p) => spec.authorizationPolicies[p].action === "ALLOW"),
      handshakeTime: costly && channels.includes(Channel.mtls) ? spec.handshakeTime : null,
      stats,
      ctx,
    };
    if (
      guard.verdicts === null &&
      guard.handshakeTime === null &&
      !channels.includes(Channel.refused)
    )
      continue;
    for (const instance of service.instances) instance.security = new InboundSidecar(guard);
  }
  const sourceNames = [...services.map((s) => s.name), ...loadNames.map((name) => `load:${name}`)];
  return new MeshSecurity(
    spec,
    stats,
    sourceNames,
    services.map((s) => s.name),
    connections,
  );
}

/** Istio's decision for every (operation, caller), from the pure evaluator: what the RBAC filter would answer. */
function verdictTable(
  spec: SecuritySpec,
  applicable: readonly number[],
  operations: readonly Operation[],
  callers: readonly (WorkloadIdentity | null)[],
  channels: Uint8Array,
): Map<Operation, Int32Array> {
  const policies = applicable.map((p) => spec.authorizationPolicies[p]);
  const table = new Map<Operation, Int32Array>();
  for (const operation of operations) {
    const path = operationPath(operation.name);
    const verdicts = Int32Array.from(callers, (identity, s) => {
      const peer = channels[s] === Channel.mtls ? identity : null;
      const decision = evaluateAuthorization(policies, {
        principal: peer?.principal ?? null,
        namespace: peer?.namespace ?? null,
        path,
      });
      if (decision.allowed) return ALLOWED;
      return decision.reason === "deny" ? applicable[decision.policy] : NO_ALLOW_MATCH;
    });
    table.set(operation, verdicts);
  }
  return table;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sum(values: Float64Array): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
