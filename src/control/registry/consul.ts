// Consul: each instance's node agent runs its service check, the catalog (servers) serves the
// instances whose check passes, and clients watch it with blocking queries, which return as soon as
// it changes (so a proxy sees a change after pushDelay, not after a poll interval). After
// hashicorp/consul agent/checks (CheckTTL, CheckHTTP, StatusHandler) and the agent's reaper.
// Rules kept:
// - A TTL check goes critical when ttl passes without the app passing it; the app (Spring Cloud
//   Consul) passes it every heartbeatInterval while it runs. Expiry is critical at once: the
//   thresholds below apply to interval checks only, as in Consul.
// - An interval (HTTP) check runs every interval after the previous one finished, the first after a
//   random stagger within the interval. A probe of an instance that is not ready fails: at once if it
//   answers (draining: 503), else after timeout. StatusHandler: a pass makes the check passing once
//   successBeforePassing passes in a row are seen, a failure critical once failuresBeforeCritical
//   failures are; both counters start at their thresholds, so a new check's first result counts at once.
// - A check starts critical when its service registers (Consul's default initial status).
// - Status changes sync to the catalog at once; during a registry-outage they are held by the agent
//   and synced when it ends (the agent keeps checking, locally).
// - deregisterCriticalServiceAfter: the reaper (every 30 s) removes a service critical for longer;
//   the app registers again when it restarts. A graceful stop (draining) deregisters at once.
// Recorded: `registry <id>` passing/critical/deregistered.
// Left out: gossip failure detection of whole nodes, warning states, anti-entropy full syncs,
// checks of several kinds on one service, stale reads.
import type { Rng } from "../../kernel/random.ts";
import type { Timer } from "../../kernel/scheduler.ts";
import type { Instance } from "../../model/instance.ts";
import type { Phase } from "../../model/instanceLife.ts";
import { LeaseStore, type TransitionTable } from "./leaseStore.ts";
import { CONSUL_REAP_INTERVAL_MS, type ConsulSpec } from "./presets.ts";
import {
  every,
  phaseOf,
  type RegistryContext,
  type RegistryKindModel,
  type RegistryServer,
} from "./server.ts";
import type { Snapshot } from "./snapshot.ts";

export type ConsulState = "passing" | "critical" | "deregistered";

export const CONSUL_TRANSITIONS: TransitionTable<ConsulState> = {
  absent: ["critical"],
  passing: ["critical", "deregistered"],
  critical: ["passing", "deregistered"],
  deregistered: ["critical"],
};

export type CheckStatus = "passing" | "critical";

/** Consul's StatusHandler: turns a run of check results into status updates (or none). */
export class StatusHandler {
  private successes: number;
  private failures: number;

  constructor(
    private readonly successBeforePassing: number,
    private readonly failuresBeforeCritical: number,
  ) {
    this.successes = successBeforePassing;
    this.failures = failuresBeforeCritical;
  }

  /** The status the check takes after this result, or null when it keeps its status. */
  result(passed: boolean): CheckStatus | null {
    if (passed) {
      this.successes++;
      this.failures = 0;
      return this.successes >= this.successBeforePassing ? "passing" : null;
    }
    this.failures++;
    this.successes = 0;
    return this.failures >= this.failuresBeforeCritical ? "critical" : null;
  }
}

/** What the node agent knows of one registered service instance. */
interface AgentEntry {
  registered: boolean;
  status: CheckStatus;
  criticalSince: number;
  handler: StatusHandler;
  /** The next check (interval) or the TTL expiry. */
  checkTimer: Timer | null;
  /** The app's TTL heartbeat (TTL checks). */
  heartbeat: Timer | null;
  rng: Rng;
}

export class ConsulServer implements RegistryServer {
  private readonly store: LeaseStore<ConsulState>;
  private readonly agents: AgentEntry[][];

  constructor(
    private readonly spec: ConsulSpec,
    private readonly ctx: RegistryContext,
  ) {
    this.store = new LeaseStore(
      ctx.services,
      CONSUL_TRANSITIONS,
      "passing",
      ctx.scheduler,
      ctx.record,
      (snapshot) => ctx.push(snapshot),
    );
    this.agents = ctx.services.map((s) =>
      s.instances.map((instance) => ({
        registered: instance.phase === "ready",
        status: "passing" as CheckStatus,
        criticalSince: 0,
        handler: this.newHandler(),
        checkTimer: null,
        heartbeat: null,
        rng: ctx.stream(`instance/${instance.id}`),
      })),
    );
    for (const instance of this.store.all())
      if (this.agentOf(instance).registered) this.startChecking(instance, true);
    if (spec.deregisterCriticalServiceAfterMs !== null)
      every(ctx.scheduler, CONSUL_REAP_INTERVAL_MS, CONSUL_REAP_INTERVAL_MS, () => this.reap());
  }

  served(): Snapshot {
    return this.store.live;
  }

  recovered(): void {
    for (const instance of this.store.all()) this.sync(instance);
  }

  phaseChanged(instance: Instance, _from: Phase, to: Phase, graceful: boolean): void {
    const agent = this.agentOf(instance);
    if (to === "ready") {
      // The app registers with its local agent: a fresh check, critical until it passes.
      this.stopChecking(agent);
      agent.registered = true;
      agent.handler = this.newHandler();
      this.setStatus(instance, "critical");
      this.startChecking(instance, false);
    } else if (graceful && (to === "draining" || to === "stopped") && agent.registered) {
      this.deregister(instance);
    }
  }

  reachabilityChanged(): void {}

  private newHandler(): StatusHandler {
    return new StatusHandler(this.spec.successBeforePassing, this.spec.failuresBeforeCritical);
  }

  private agentOf(instance: Instance): AgentEntry {
    return this.agents[instance.service.index][instance.index];
  }

  private startChecking(instance: Instance, atStart: boolean): void {
    const agent = this.agentOf(instance);
    const { scheduler } = this.ctx;
    const check = this.spec.check;
    if (check.type === "ttl") {
      // At t = 0 the app has passed its check just now; a new process passes it on registering.
      const first = atStart ? phaseOf(agent.rng, check.heartbeatIntervalMs) : scheduler.now;
      const pass = (): void => {
        agent.heartbeat = scheduler.at(scheduler.now + check.heartbeatIntervalMs, pass);
        if (instance.canHeartbeat && agent.registered) this.ttlPassed(instance);
      };
      agent.heartbeat = scheduler.at(first, pass);
      if (atStart) agent.checkTimer = scheduler.at(check.ttlMs, () => this.ttlExpired(instance));
      return;
    }
    agent.checkTimer = scheduler.at(scheduler.now + phaseOf(agent.rng, check.intervalMs), () =>
      this.runCheck(instance),
    );
  }

  private stopChecking(agent: AgentEntry): void {
    if (agent.checkTimer !== null) this.ctx.scheduler.cancel(agent.checkTimer);
    if (agent.heartbeat !== null) this.ctx.scheduler.cancel(agent.heartbeat);
    agent.checkTimer = null;
    agent.heartbeat = null;
  }

  private ttlPassed(instance: Instance): void {
    const check = this.spec.check;
    if (check.type !== "ttl") return;
    const agent = this.agentOf(instance);
    if (agent.checkTimer !== null) this.ctx.scheduler.cancel(agent.checkTimer);
    agent.checkTimer = this.ctx.scheduler.at(this.ctx.scheduler.now + check.ttlMs, () =>
      this.ttlExpired(instance),
    );
    this.setStatus(instance, "passing");
  }

  private ttlExpired(instance: Instance): void {
    this.agentOf(instance).checkTimer = null;
    this.setStatus(instance, "critical");
  }

  /** One HTTP check; the next runs interval after it finished. */
  private runCheck(instance: Instance): void {
    const check = this.spec.check;
    if (check.type !== "interval") return;
    const agent = this.agentOf(instance);
    const { scheduler } = this.ctx;
    const finish = (passed: boolean): void => {
      const status = agent.handler.result(passed);
      if (status !== null) this.setStatus(instance, status);
      agent.checkTimer = scheduler.at(scheduler.now + check.intervalMs, () =>
        this.runCheck(instance),
      );
    };
    if (instance.passesReadiness) return finish(true);
    if (instance.reachable && instance.phase === "draining") return finish(false);
    agent.checkTimer = scheduler.at(scheduler.now + check.timeoutMs, () => finish(false));
  }

  private setStatus(instance: Instance, status: CheckStatus): void {
    const agent = this.agentOf(instance);
    if (agent.status !== status && status === "critical")
      agent.criticalSince = this.ctx.scheduler.now;
    agent.status = status;
    this.sync(instance);
  }

  /** Pushes the agent's view of the instance to the catalog, unless the servers cannot be reached. */
  private sync(instance: Instance): void {
    if (!this.ctx.up()) return;
    const agent = this.agentOf(instance);
    const to: ConsulState = !agent.registered ? "deregistered" : agent.status;
    if (this.store.state(instance) === "absent" && to === "deregistered") return;
    this.store.move(instance, to);
    this.store.serve(instance, to === "passing");
  }

  private deregister(instance: Instance): void {
    const agent = this.agentOf(instance);
    this.stopChecking(agent);
    agent.registered = false;
    this.sync(instance);
  }

  private reap(): void {
    const after = this.spec.deregisterCriticalServiceAfterMs!;
    const now = this.ctx.scheduler.now;
    for (const instance of this.store.all()) {
      const agent = this.agentOf(instance);
      if (agent.registered && agent.status === "critical" && now - agent.criticalSince > after)
        this.deregister(instance);
    }
  }

  events(): ReadonlyMap<string, number> {
    return this.store.entered;
  }
}

/** Consul as a registry kind: blocking-query watches, i.e. pushes. */
export const consul: RegistryKindModel<ConsulSpec> = {
  server: (spec, ctx) => new ConsulServer(spec, ctx),
  delivery: (spec) => ({ pushDelayMs: spec.pushDelayMs, poll: null }),
};
