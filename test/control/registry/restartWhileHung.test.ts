// A pod restarted while a pod-failure still holds it (Chaos Mesh's pod-failure outlasting a kill and
// its restart): the new process reaches `ready`, but its registry client cannot get through, so
// Eureka's register and Nacos' register cannot reach the server. The instance must stay out of
// the registry until the failure ends, and then register at its client's next heartbeat.
import { describe, expect, test } from "vitest";
import { EurekaServer } from "../../../src/control/registry/eureka.ts";
import { NacosServer } from "../../../src/control/registry/nacos.ts";
import type { RegistryContext, RegistryServer } from "../../../src/control/registry/server.ts";
import { RandomStreams } from "../../../src/kernel/random.ts";
import { Scheduler } from "../../../src/kernel/scheduler.ts";
import type { Service } from "../../../src/model/service.ts";
import { EUREKA_DEFAULTS, NACOS_DEFAULTS } from "../../../src/scenario/defaults.ts";
import { asInstance, StandIn } from "./standIn.ts";

interface World {
  scheduler: Scheduler;
  server: RegistryServer;
  instance: StandIn;
  /** [time, component, from, to] of every registry record. */
  records: [number, string, string, string][];
}

function world(make: (ctx: RegistryContext) => RegistryServer): World {
  const scheduler = new Scheduler();
  const streams = new RandomStreams(3);
  const service = { index: 0, name: "payment", instances: [] as StandIn[] };
  service.instances = [0, 1, 2].map((i) => new StandIn(`payment-${i + 1}`, i, service));
  const records: World["records"] = [];
  const ctx: RegistryContext = {
    scheduler,
    services: [service] as unknown as Service[],
    record: (at, component, from, to) => records.push([at, component, from, to]),
    up: () => true,
    stream: (label) => streams.get(`registry/${label}`),
    push: () => {},
  };
  return { scheduler, server: make(ctx), instance: service.instances[1], records };
}

/** Hung at 10 s, killed at 20 s (the failure goes on), restarted ready at 30 s, the failure ends at 100 s. */
function restartWhileHung(w: World): void {
  const s = w.instance;
  const server = w.server;
  w.scheduler.post(10_000, () => {
    s.reachable = false;
    server.reachabilityChanged(asInstance(s));
  });
  w.scheduler.post(20_000, () => {
    s.phase = "stopped";
    server.phaseChanged(asInstance(s), "ready", "stopped", false);
  });
  w.scheduler.post(25_000, () => {
    s.phase = "starting";
    server.phaseChanged(asInstance(s), "stopped", "starting", true);
  });
  w.scheduler.post(30_000, () => {
    s.phase = "ready";
    server.phaseChanged(asInstance(s), "starting", "ready", true);
  });
  w.scheduler.post(100_000, () => {
    s.reachable = true;
    server.reachabilityChanged(asInstance(s));
  });
}

/** When the instance's registry entry moved to `to`, after `from` ms. */
const movedAt = (w: World, to: string, fromMs: number) =>
  w.records
    .filter((r) => r[1] === "registry payment-2" && r[3] === to && r[0] >= fromMs)
    .map((r) => r[0]);

const served = (w: World) => w.server.served().sets[0].has[1] === 1;

describe("a pod restarted while a pod-failure holds it", () => {
  test("Eureka: no registration while hung; the first renew after the failure ends gets 404 and registers", () => {
    const w = world((ctx) => new EurekaServer(EUREKA_DEFAULTS, ctx));
    restartWhileHung(w);
    w.scheduler.run(200_000);
    // The lease of the killed process is still there at 30 s (Eureka keeps it 90 s after the last
    // renew before 10 s), so the registry may serve it stale; what must not happen is a new
    // registration from the hung process.
    const registered = movedAt(w, "registered", 20_000);
    expect(registered.length).toBe(1);
    // Heartbeats every 30 s from the restart at 30 s: 60, 90, 120 s; the first one through is 120 s.
    expect(registered[0]).toBe(120_000);
  });

  test("Nacos: no registration while hung; the first beat after the failure ends registers again", () => {
    const w = world((ctx) => new NacosServer(NACOS_DEFAULTS, ctx));
    restartWhileHung(w);
    const seen: boolean[] = [];
    for (const t of [35_000, 60_000, 99_000]) w.scheduler.post(t, () => seen.push(served(w)));
    w.scheduler.run(200_000);
    // Beats stop at 10 s: unhealthy after 15 s, deleted after 30 s, well before the restart at 30 s
    // had a chance to re-register it; from then on it stays out until the failure ends.
    expect(seen).toEqual([false, false, false]);
    const registered = movedAt(w, "healthy", 20_000);
    // Beats every 5 s from the restart at 30 s: the first through is at 100 s.
    expect(registered).toEqual([100_000]);
  });
});
