// scenarios/zero-trust.yaml as a golden experiment, shortened to 40 s: STRICT mTLS and
// least-privilege ALLOW policies let the shoppers through, deny the rogue workload's direct calls
// to payment.charge (403, by payment's policy) and refuse the sidecar-less batch job (503). The
// file's compare variants show which layer stops which caller.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/run/runScenario.ts";
import { type Override, parseScenario } from "../../src/scenario/loader.ts";

const FILE = fileURLToPath(new URL("../../scenarios/zero-trust.yaml", import.meta.url));
const SHORT: Override[] = [
  { path: ["duration"], value: "40s", origin: "test" },
  { path: ["warmup"], value: "5s", origin: "test" },
];

function run(extra: Override[] = []) {
  return runScenario(parseScenario(readFileSync(FILE, "utf8"), FILE, [...SHORT, ...extra]));
}

describe("the zero-trust scenario", () => {
  const result = run();
  const security = result.security!;
  const policy = (name: string) => security.policies.find((p) => p.name === name)!;

  it("runs every service under STRICT mTLS, the shoppers arriving as the ingress gateway", () => {
    expect(Object.values(security.mtls.services)).toEqual([
      "STRICT",
      "STRICT",
      "STRICT",
      "STRICT",
      "STRICT",
    ]);
    expect(security.identities["load:shoppers"]).toBe(
      "spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account",
    );
    expect(security.identities["load:rogue"]).toBe("spiffe://cluster.local/ns/default/sa/rogue");
    expect(security.identities["load:legacy-batch"]).toBeNull();
  });

  it("lets legitimate traffic through: shoppers fail only by the services' own error rates, no edge of theirs is refused or denied", () => {
    const shoppers = result.load.shoppers;
    expect(shoppers.offered).toBeGreaterThan(9000);
    expect(shoppers.failed / shoppers.offered).toBeLessThan(0.01);
    expect(Object.keys(shoppers.failures)).toEqual(["500"]);
    for (const [edge, e] of Object.entries(security.edges)) {
      if (edge.startsWith("load:rogue") || edge.startsWith("load:legacy-batch")) continue;
      expect({ edge, connection: e.connection, refused: e.refused, denied: e.denied }).toEqual({
        edge,
        connection: "mtls",
        refused: 0,
        denied: 0,
      });
    }
    // Each calling proxy opened one connection per instance it reached: 3 shopper clients × 3 gateways, 3 gateways × 6 order instances.
    expect(security.edges["load:shoppers->gateway"].handshakes).toBe(9);
    expect(security.edges["gateway->order"].handshakes).toBe(18);
  });

  it("denies every rogue call with 403, each counted on payment's policy and no other", () => {
    const rogue = result.load.rogue;
    expect(rogue.offered).toBeGreaterThan(100);
    expect(rogue.failures).toEqual({ "403": rogue.offered });
    expect(security.edges["load:rogue->payment"]).toMatchObject({
      connection: "mtls",
      denied: rogue.offered,
    });
    expect(policy("payment-from-gateway").byEdge).toEqual({ "load:rogue->payment": rogue.offered });
    for (const p of security.policies.filter((p) => p.name !== "payment-from-gateway"))
      expect(p.denied).toBe(0);
  });

  it("gives the plaintext caller no successful call: STRICT refuses every try (503)", () => {
    const batch = result.load["legacy-batch"];
    expect(batch.completed).toBe(0);
    expect(batch.failures).toEqual({ "503": batch.offered - batch.inFlight });
    expect(security.edges["load:legacy-batch->order"].connection).toBe("refused");
    expect(security.edges["load:legacy-batch->order"].refused).toBe(
      result.edges["load:legacy-batch->order"].requests,
    );
  });

  it("gives the same result for the same seed, handshake draws included", () => {
    expect(JSON.stringify(run())).toBe(JSON.stringify(result));
  });

  it("under PERMISSIVE the batch job gets in but is denied (no principal to allow); without policies the rogue workload charges cards", () => {
    const permissive = run([{ path: ["security", "mtls"], value: "PERMISSIVE", origin: "test" }]);
    const batch = permissive.load["legacy-batch"];
    expect(batch.completed).toBe(0);
    expect(batch.failures).toEqual({ "403": batch.offered - batch.inFlight });
    expect(permissive.security!.policies.find((p) => p.name === "order-from-gateway")!.denied).toBe(
      batch.offered - batch.inFlight,
    );
    const open = run([{ path: ["authorizationPolicies"], value: [], origin: "test" }]);
    expect(open.load.rogue.completed / open.load.rogue.offered).toBeGreaterThan(0.99);
    expect(open.load["legacy-batch"].completed).toBe(0);
  });
});
