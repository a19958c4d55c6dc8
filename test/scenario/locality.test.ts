// Istio localities in a scenario file (src/scenario/references/regions.ts, schema/balancing.ts):
// `regions` places zones in regions, localityLbSetting takes failover, failoverPriority and
// distribute with Istio's names, and a locality naming an unknown region is refused with the
// field's file:line:column (the CLI exits 2 on these, as on every ScenarioError).
import { describe, expect, test } from "vitest";
import { ScenarioError } from "../../src/scenario/errors.ts";
import { parseScenario } from "../../src/scenario/loader.ts";

const file = (
  setting: string,
  regions = "regions: { us-east: [e1, e2], eu-west: [w1] }",
) => `version: 1
name: r
duration: 10s
${regions}
services:
  api:
    instances: 3
    zones: [e1, e2, w1]
    subzones: [rack1, rack2]
    operations:
      work: { serviceTime: exp(1ms) }
mesh:
  defaults:
    outlierDetection: { consecutive5xxErrors: 3 }
    localityLbSetting:
${setting}
load:
  - name: l
    executor: constant-arrival-rate
    rate: 10
    target: api.work
    zone: e1
`;

function problems(text: string): string[] {
  try {
    parseScenario(text, "r.yaml");
  } catch (error) {
    if (error instanceof ScenarioError) return error.message.split("\n");
    throw error;
  }
  return [];
}

describe("Istio localities in a scenario", () => {
  test("regions place zones, and localityLbSetting keeps Istio's names", () => {
    const s = parseScenario(
      file(`      failover: [{ from: us-east, to: eu-west }]
      failoverPriority: [topology.istio.io/network]`),
      "r.yaml",
    );
    expect([...s.network.regions]).toEqual([
      ["e1", "us-east"],
      ["e2", "us-east"],
      ["w1", "eu-west"],
    ]);
    expect(s.services[0].subzones).toEqual(["rack1", "rack2"]);
    expect(s.services[0].trafficPolicy.locality).toMatchObject({
      failover: [{ from: "us-east", to: "eu-west" }],
      failoverPriority: ["topology.istio.io/network"],
      distribute: [],
    });
  });

  test("distribute's `to` keeps file order as weighted entries", () => {
    const s = parseScenario(
      file(`      distribute:
        - from: us-east/*
          to: { us-east/e1: 70, eu-west/*: 30 }`),
      "r.yaml",
    );
    expect(s.services[0].trafficPolicy.locality.distribute).toEqual([
      {
        from: "us-east/*",
        to: [
          { locality: "us-east/e1", weight: 70 },
          { locality: "eu-west/*", weight: 30 },
        ],
      },
    ]);
  });

  test("a failover to an unknown region names the field with file:line:column", () => {
    expect(problems(file(`      failover: [{ from: us-east, to: ap-south }]`))).toEqual([
      "r.yaml:16:39: mesh.defaults.localityLbSetting.failover[0].to: unknown region `ap-south`; regions are: eu-west, us-east",
    ]);
  });

  test("a distribute locality with an unknown region, or a zone outside its region, is refused", () => {
    const found = problems(
      file(`      distribute:
        - from: mars/*
          to: { us-east/w1: 50, eu-west: 50 }`),
    );
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(
      /^r\.yaml:17:17: mesh\.defaults\.localityLbSetting\.distribute\[0\]\.from: unknown region `mars`/,
    );
    expect(found[1]).toMatch(
      /^r\.yaml:18:17: mesh\.defaults\.localityLbSetting\.distribute\[0\]\.to\["us-east\/w1"\]: region `us-east` has no zone `w1`/,
    );
  });

  test("once regions are declared, a placement in a zone of no region is refused", () => {
    const found = problems(file(`      failover: []`, "regions: { us-east: [e1, e2] }"));
    expect(found).toEqual([
      "r.yaml:8:21: services.api.zones[2]: zone `w1` is in no region; regions are: us-east (list it under one in `regions`)",
    ]);
  });

  test("Istio's validation: distribute weights sum to 100, and distribute excludes failover", () => {
    const found = problems(
      file(`      failover: [{ from: us-east, to: eu-west }]
      distribute: [{ from: "*", to: { us-east: 60, eu-west: 30 } }]`),
    );
    expect(found.join("\n")).toContain(
      "weights must sum to 100 (Istio's validation); they sum to 90",
    );
    expect(found.join("\n")).toContain("cannot be set together with failover or failoverPriority");
  });

  test("a failover without any declared region says to declare them", () => {
    expect(problems(file(`      failover: [{ from: a, to: b }]`, ""))[0]).toContain(
      "unknown region `a`; no region is declared",
    );
  });
});
