// ZooKeeper's sessions, ephemeral nodes and one-shot watches, and Curator's ServiceCache, driven
// directly on a scheduler with stand-in instances, against the ZooKeeper Programmer's Guide
// (https://zookeeper.apache.org/doc/current/zookeeperProgrammers.html, "ZooKeeper Sessions" and
// "ZooKeeper Watches") and SessionTrackerImpl / ExpiryQueue's rounding to the next tick.
import { describe, expect, test } from "vitest";
import type { ZooKeeperSpec } from "../../../src/control/registry/presets.ts";
import type { RegistryContext } from "../../../src/control/registry/server.ts";
import type { Snapshot } from "../../../src/control/registry/snapshot.ts";
import {
  expiryTick,
  pingIntervalMs,
  ZooKeeperServer,
} from "../../../src/control/registry/zookeeper.ts";
import { RandomStreams } from "../../../src/kernel/random.ts";
import { Scheduler } from "../../../src/kernel/scheduler.ts";
import type { Service } from "../../../src/model/service.ts";
import { ZOOKEEPER_DEFAULTS } from "../../../src/scenario/defaults.ts";
import { asInstance, StandIn } from "./standIn.ts";

interface World {
  scheduler: Scheduler;
  server: ZooKeeperServer;
  instances: StandIn[];
  /** Each proxy's latest snapshot, and when each instance entered or left it. */
  views: { held: Snapshot; changes: [number, number, boolean][] }[];
  records: [number, string, string, string][];
  /** When each proxy's getChildren reached the server. */
  reads: number[][];
  setDown(down: boolean): void;
}

function world(spec: ZooKeeperSpec, count = 3, proxies = 4, parked: number[] = []): World {
  const scheduler = new Scheduler();
  const streams = new RandomStreams(5);
  const service = { index: 0, name: "payment", instances: [] as StandIn[] };
  const instances = Array.from(
    { length: count },
    (_, i) => new StandIn(`payment-${i + 1}`, i, service),
  );
  for (const i of parked) instances[i].phase = "stopped";
  service.instances = instances;
  const records: World["records"] = [];
  let down = false;
  const ctx: RegistryContext = {
    scheduler,
    services: [service] as unknown as Service[],
    record: (at, component, from, to) => records.push([at, component, from, to]),
    up: () => !down,
    stream: (label) => streams.get(`registry/${label}`),
    push: () => {},
  };
  const server = new ZooKeeperServer(spec, ctx);
  const reads: number[][] = Array.from({ length: proxies }, () => []);
  const getChildren = server.getChildren.bind(server);
  server.getChildren = (client, s) => {
    reads[client].push(scheduler.now);
    return getChildren(client, s);
  };
  const views = Array.from({ length: proxies }, () => ({
    held: server.served(),
    changes: [] as [number, number, boolean][],
  }));
  const sinks = views.map((view) => ({
    adopt(snapshot: Snapshot) {
      const before = view.held.sets[0].has;
      snapshot.sets[0].has.forEach((v, i) => {
        if (v !== before[i]) view.changes.push([scheduler.now, i, v === 1]);
      });
      view.held = snapshot;
    },
  }));
  server.subscribe(
    sinks,
    views.map((_, p) => streams.get(`registry/client/p${p}`)),
  );
  return {
    scheduler,
    server,
    instances,
    views,
    records,
    reads,
    setDown: (d) => {
      down = d;
      if (!d) server.recovered();
    },
  };
}

function kill(w: World, i: number): void {
  const s = w.instances[i];
  s.reachable = false;
  s.phase = "stopped";
  w.server.phaseChanged(asInstance(s), "ready", "stopped", false);
}

function start(w: World, i: number): void {
  const s = w.instances[i];
  s.reachable = true;
  s.phase = "ready";
  w.server.phaseChanged(asInstance(s), "starting", "ready", true);
}

function stopGracefully(w: World, i: number): void {
  const s = w.instances[i];
  s.phase = "draining";
  w.server.phaseChanged(asInstance(s), "ready", "draining", true);
}

function hang(w: World, i: number, reachable: boolean): void {
  const s = w.instances[i];
  s.reachable = reachable;
  w.server.reachabilityChanged(asInstance(s));
}

const at = (w: World, ms: number, action: () => void) => w.scheduler.post(ms, action);

/** When the registry entry of instance i moved to `to`. */
const movedAt = (w: World, i: number, to: string) =>
  w.records.filter((r) => r[1] === `registry payment-${i + 1}` && r[3] === to).map((r) => r[0]);

describe("ZooKeeper sessions", () => {
  test("the Programmer's Guide's bounds: with tickTime 2000 a session timeout lies from 4 s to 40 s, and Curator's 60 s request gets 40 s", () => {
    // "a minimum of 2 times the tickTime ... and a maximum of 20 times the tickTime"
    expect(ZOOKEEPER_DEFAULTS.tickTimeMs).toBe(2_000);
    expect(ZOOKEEPER_DEFAULTS.sessionTimeoutMs).toBe(20 * 2_000);
  });

  test("a session touched at t expires at the first tick strictly after t + timeout (roundToNextInterval)", () => {
    // Ticks at multiples of 2000 (offset 0): touched at 10 000 with 40 000 → due 50 000 → tick 26 (52 000).
    expect(expiryTick(10_000, 40_000, 2_000, 0)).toBe(26);
    expect(expiryTick(10_500, 40_000, 2_000, 0)).toBe(26);
    expect(expiryTick(11_999, 40_000, 2_000, 0)).toBe(26);
    expect(expiryTick(12_000, 40_000, 2_000, 0)).toBe(27);
    // With the server clock 500 ms ahead, tick k falls at 2000k − 500: due 50 000 → 51 500 (k = 26).
    expect(expiryTick(10_000, 40_000, 2_000, 500)).toBe(26);
    // 1999 ms ahead: tick 26 falls at 50 001, just after a due time of 50 000, but not after 50 002.
    expect(expiryTick(10_000, 40_000, 2_000, 1_999)).toBe(26);
    expect(expiryTick(10_002, 40_000, 2_000, 1_999)).toBe(27);
  });

  test("the client pings every third of the session timeout (half of its 2/3 read timeout)", () => {
    expect(pingIntervalMs(40_000)).toBeCloseTo(13_333.33, 1);
    expect(pingIntervalMs(6_000)).toBe(2_000);
  });

  test("a killed instance's node vanishes when its session expires: within sessionTimeout − ping … sessionTimeout + tickTime of the kill", () => {
    const spec = ZOOKEEPER_DEFAULTS;
    const w = world(spec);
    at(w, 100_000, () => kill(w, 1));
    w.scheduler.run(200_000);
    const [expired] = movedAt(w, 1, "expired");
    expect(expired).toBeGreaterThan(100_000 + spec.sessionTimeoutMs - pingIntervalMs(40_000));
    expect(expired).toBeLessThanOrEqual(100_000 + spec.sessionTimeoutMs + spec.tickTimeMs);
    // Every proxy's cache drops it through its data watch, within pushDelay, without a re-read.
    for (const view of w.views) {
      expect(view.changes).toHaveLength(1);
      const [when, index, member] = view.changes[0];
      expect([index, member]).toEqual([1, false]);
      expect(when - expired).toBeGreaterThanOrEqual(0);
      expect(when - expired).toBeLessThan(spec.pushDelayMs);
    }
    expect(w.server.events()).toEqual(new Map([["expired", 1]]));
  });

  test("a clean shutdown deletes the node at once, and the views follow within pushDelay", () => {
    const w = world(ZOOKEEPER_DEFAULTS);
    at(w, 30_000, () => stopGracefully(w, 2));
    w.scheduler.run(120_000);
    expect(movedAt(w, 2, "deleted")).toEqual([30_000]);
    expect(movedAt(w, 2, "expired")).toEqual([]);
    for (const view of w.views) expect(view.changes[0][0] - 30_000).toBeLessThan(100);
  });

  test("a hung instance back within its session keeps its node; one back after it registers again and is re-read", () => {
    const spec = { ...ZOOKEEPER_DEFAULTS, sessionTimeoutMs: 10_000, roundTripMs: 20 };
    const w = world(spec);
    at(w, 20_000, () => hang(w, 0, false));
    at(w, 26_000, () => hang(w, 0, true)); // 6 s: within the 10 s session
    at(w, 60_000, () => hang(w, 1, false));
    at(w, 90_000, () => hang(w, 1, true)); // 30 s: the session is long gone
    w.scheduler.run(120_000);
    expect(movedAt(w, 0, "expired")).toEqual([]);
    const [expired] = movedAt(w, 1, "expired");
    expect(expired).toBeLessThanOrEqual(60_000 + 10_000 + 2_000);
    expect(movedAt(w, 1, "created")).toEqual([90_000]);
    for (const view of w.views) {
      const back = view.changes.find(([, i, member]) => i === 1 && member)!;
      // The child watch's event (< pushDelay), then getChildren and getData, a round trip each.
      expect(back[0]).toBeGreaterThanOrEqual(90_000 + 2 * spec.roundTripMs);
      expect(back[0]).toBeLessThan(90_000 + spec.pushDelayMs + 2 * spec.roundTripMs);
    }
  });
});

describe("one-shot watches and the Curator cache", () => {
  // Programmer's Guide: "Because watches are one time triggers and there is latency between getting
  // the event and sending a new request to get a watch you cannot reliably see every change that
  // happens to a node in ZooKeeper."
  const slowReads: ZooKeeperSpec = { ...ZOOKEEPER_DEFAULTS, pushDelayMs: 0, roundTripMs: 200 };

  test("a node created and deleted between a watch firing and the re-read is never seen", () => {
    const w = world(slowReads, 3, 4, [2]);
    at(w, 1_000, () => start(w, 2)); // fires the child watch; the re-read reaches the server at 1 100
    at(w, 1_050, () => stopGracefully(w, 2)); // no watch is set: no event
    w.scheduler.run(5_000);
    expect(movedAt(w, 2, "created")).toEqual([1_000]);
    expect(movedAt(w, 2, "deleted")).toEqual([1_050]);
    for (const view of w.views) expect(view.changes).toEqual([]);
    // One re-read per cache: the deletion found no watch to fire.
    for (const reads of w.reads) expect(reads).toEqual([1_100]);
  });

  test("changes between the firing and the re-read arrive together in its answer; the re-read sets the next watch", () => {
    const w = world(slowReads, 4, 2, [2, 3]);
    at(w, 1_000, () => start(w, 2)); // the watch fires; re-read at the server at 1 100
    at(w, 1_050, () => start(w, 3)); // no watch: seen only in the re-read
    at(w, 3_000, () => stopGracefully(w, 3)); // the watch set at 1 100 fires again
    w.scheduler.run(5_000);
    for (const view of w.views) {
      // getChildren answered at 1 200, then a getData each (server 1 300, answer 1 400).
      expect(view.changes).toEqual([
        [1_400, 2, true],
        [1_400, 3, true],
        [3_000, 3, false],
      ]);
    }
    // Two events, two re-reads: the second start fired nothing.
    for (const reads of w.reads) expect(reads).toEqual([1_100, 3_100]);
  });

  test("during a registry outage the caches keep their view; on reconnect they re-read and drop what expired", () => {
    const spec = { ...ZOOKEEPER_DEFAULTS, sessionTimeoutMs: 10_000 };
    const w = world(spec);
    at(w, 10_000, () => w.setDown(true));
    at(w, 12_000, () => kill(w, 0));
    at(w, 60_000, () => w.setDown(false));
    w.scheduler.run(90_000);
    // The ensemble goes on expiring every session it cannot hear from; the survivors register again on reconnect.
    expect(movedAt(w, 0, "expired")).toHaveLength(1);
    expect(movedAt(w, 1, "created")).toEqual([60_000]);
    for (const view of w.views) {
      expect(view.changes).toHaveLength(1);
      expect(view.changes[0][1]).toBe(0);
      expect(view.changes[0][0]).toBeGreaterThanOrEqual(60_000);
      expect(view.changes[0][0]).toBeLessThanOrEqual(60_000 + spec.roundTripMs);
    }
  });
});
