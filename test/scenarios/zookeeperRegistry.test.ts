// scenarios/zookeeper-registry.yaml through `meshsim compare`'s own code path: ZooKeeper with
// Curator's service discovery drops a killed instance when its session expires (40 s after its last
// ping, at the next 2 s tick), keeps a pod hung for less than its session, and sits between the
// push-based registries and Eureka; its shortest session (2 ticks) drops the dead within 6.1 s.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { pingIntervalMs } from "../../src/control/registry/zookeeper.ts";
import { compare } from "../../src/experiment/compare.ts";
import type { RunResult } from "../../src/result/run.ts";

const file = fileURLToPath(new URL("../../scenarios/zookeeper-registry.yaml", import.meta.url));
const { variants } = await compare(file, { workers: "inline" });
const run = (name: string): RunResult => variants.find((v) => v.name === name)!.results[0];

const KILL_MS = 120_000;
const HANG_MS = 180_000;
const HANG_END_MS = 200_000;

const registryMoves = (result: RunResult, id: string) =>
  result.stateChanges
    .filter((c) => c.component === `registry ${id}`)
    .map((c): [number, string] => [c.atMs, c.to]);

const payment = (result: RunResult) => result.discovery!.edges["gateway->payment"];

describe("zookeeper-registry.yaml", () => {
  it("with the defaults the killed instance's node expires 40 s after its last ping, within 42 s of the kill, and every gateway drops it within 42.1 s", () => {
    const result = run("zookeeper");
    const [killed, hung] = result.faults.map((f) => f.targets[0]);
    const [[expiredAt, to]] = registryMoves(result, killed);
    expect(to).toBe("expired");
    expect(expiredAt - KILL_MS).toBeGreaterThan(40_000 - pingIntervalMs(40_000));
    expect(expiredAt - KILL_MS).toBeLessThanOrEqual(42_000);
    // The hang (20 s) is shorter than the session: the node never leaves.
    expect(registryMoves(result, hung)).toEqual([]);
    for (const view of Object.values(payment(result).perProxy)) {
      expect(view.longestStaleMs).toBeGreaterThanOrEqual(expiredAt - KILL_MS);
      expect(view.longestStaleMs).toBeLessThanOrEqual(42_100);
    }
    // No retries: every try sent to the dead or hung instance is a failed checkout, and so are the
    // few calls already at the instance when it hung (measured: 1,505 failed, 1,502 sent to the dead).
    const failed = result.load.shoppers.failed;
    expect(failed).toBeGreaterThanOrEqual(payment(result).sentToDead);
    expect(failed - payment(result).sentToDead).toBeLessThanOrEqual(10);
  });

  it("with the shortest session the dead leave within 6.1 s, and the hung instance expires and registers again when it wakes", () => {
    const result = run("zookeeper-short-session");
    const [killed, hung] = result.faults.map((f) => f.targets[0]);
    const [[expiredAt]] = registryMoves(result, killed);
    expect(expiredAt - KILL_MS).toBeLessThanOrEqual(6_000);
    const moves = registryMoves(result, hung);
    expect(moves.map(([, to]) => to)).toEqual(["expired", "created"]);
    expect(moves[0][0] - HANG_MS).toBeLessThanOrEqual(6_000);
    expect(moves[1][0]).toBe(HANG_END_MS);
    for (const view of Object.values(payment(result).perProxy))
      expect(view.longestStaleMs).toBeLessThanOrEqual(6_100);
    expect(result.discovery!.events).toEqual({ created: 1, expired: 2 });
  });

  it("ranks the registries by the tries their stale views send to the dead: the short session, Kubernetes, Consul and Nacos, ZooKeeper, Eureka", () => {
    const dead = (name: string) => payment(run(name)).sentToDead;
    // Measured (seed 7): 248, 669, 961, 1028, 1502, 6480 of 30 092 checkouts.
    expect(dead("zookeeper-short-session")).toBeLessThan(dead("kubernetes"));
    expect(dead("kubernetes")).toBeLessThan(Math.min(dead("consul"), dead("nacos")));
    expect(Math.max(dead("consul"), dead("nacos"))).toBeLessThan(dead("zookeeper"));
    expect(dead("zookeeper")).toBeLessThan(dead("eureka"));
  });
});
