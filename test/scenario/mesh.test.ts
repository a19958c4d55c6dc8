import { describe, expect, test } from "vitest";
import { ScenarioError } from "../../src/scenario/errors.ts";
import { parseScenario } from "../../src/scenario/loader.ts";

const base = (extra: { mesh?: string; service?: string; load?: string }) => `version: 1
name: m
duration: 10s
${extra.mesh ?? ""}
services:
  front:
    zones: [a, b]
    operations:
      work:
        serviceTime: exp(1ms)
        calls: [ { call: back.read } ]
  back:
${extra.service ?? "    instances: 3"}
    operations:
      read: { serviceTime: exp(2ms) }
load:
  - name: l
    executor: constant-arrival-rate
    rate: 10
    target: front.work
${extra.load ?? ""}
`;

function problems(text: string): string[] {
  try {
    parseScenario(text, "m.yaml");
  } catch (error) {
    if (error instanceof ScenarioError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

describe("the mesh section, keys, caches and zones", () => {
  test("mesh.services overrides mesh.defaults per service, with Envoy's defaults filled in", () => {
    const s = parseScenario(
      base({
        mesh: `mesh:
  defaults:
    loadBalancer: { policy: round-robin }
  services:
    back:
      loadBalancer: { policy: ring-hash, hashKey: userId, hashBalanceFactor: 150 }`,
        load: `    keys: { name: userId, count: 1000, distribution: zipf(1.1) }`,
      }),
      "m.yaml",
    );
    expect(s.services[0].trafficPolicy.loadBalancer).toEqual({
      policy: "round-robin",
      slowStart: null,
    });
    expect(s.services[1].trafficPolicy.loadBalancer).toEqual({
      policy: "ring-hash",
      hashKey: "userId",
      minimumRingSize: 1024,
      maximumRingSize: 8_388_608,
      hashFunction: "XX_HASH",
      hashBalanceFactor: 150,
    });
    expect(s.load[0].keys).toEqual({
      name: "userId",
      count: 1000,
      distribution: { kind: "zipf", exponent: 1.1 },
    });
    expect(s.services[0].zones).toEqual(["a", "b"]);
  });

  test("peak-ewma and maglev get Finagle's, Linkerd's and Envoy's defaults", () => {
    const s = parseScenario(
      base({
        mesh: `mesh:
  defaults: { loadBalancer: { policy: peak-ewma } }
  services:
    back: { loadBalancer: { policy: maglev, hashKey: userId } }`,
        load: `    keys: { name: userId, count: 10 }`,
      }),
      "m.yaml",
    );
    expect(s.services[0].trafficPolicy.loadBalancer).toEqual({
      policy: "peak-ewma",
      decayTimeMs: 10_000,
      defaultRttMs: 30,
    });
    expect(s.services[1].trafficPolicy.loadBalancer).toEqual({
      policy: "maglev",
      hashKey: "userId",
      tableSize: 65_537,
      hashFunction: "XX_HASH",
      hashBalanceFactor: null,
    });
    expect(s.load[0].keys?.distribution).toEqual({ kind: "uniform" });
  });

  test("slow start (Envoy slow_start_config) and locality failover (Istio localityLbSetting) get their defaults", () => {
    const s = parseScenario(
      base({
        mesh: `mesh:
  defaults: { loadBalancer: { policy: least-request, slowStartConfig: { slowStartWindow: 30s } } }
  services:
    back: { loadBalancer: { policy: round-robin, slowStartConfig: { slowStartWindow: 1m, aggression: 2, minWeightPercent: 5 } }, localityLbSetting: { enabled: false } }`,
      }),
      "m.yaml",
    );
    expect(s.services[0].trafficPolicy.loadBalancer).toEqual({
      policy: "least-request",
      choiceCount: 2,
      activeRequestBias: 1,
      slowStart: { windowMs: 30_000, aggression: 1, minWeightPercent: 10 },
    });
    expect(s.services[1].trafficPolicy.loadBalancer).toEqual({
      policy: "round-robin",
      slowStart: { windowMs: 60_000, aggression: 2, minWeightPercent: 5 },
    });
    expect(s.services[0].trafficPolicy.locality).toEqual({
      enabled: true,
      overprovisioningFactor: 140,
      failover: [],
      failoverPriority: [],
      distribute: [],
    });
    expect(s.services[1].trafficPolicy.locality).toEqual({
      enabled: false,
      overprovisioningFactor: 140,
      failover: [],
      failoverPriority: [],
      distribute: [],
    });
  });

  test("slow start only where Envoy has it, with a window, aggression > 0 and a percent floor", () => {
    const found = problems(
      base({
        mesh: `mesh:
  defaults: { loadBalancer: { policy: random, slowStartConfig: { slowStartWindow: 30s } }, localityLbSetting: { overprovisioningFactor: 90 } }
  services:
    back: { loadBalancer: { policy: round-robin, slowStartConfig: { slowStartWindow: 0, aggression: 0, minWeightPercent: 150 } } }`,
      }),
    );
    expect(found).toEqual([
      "mesh.defaults.loadBalancer.slowStartConfig: `slowStartConfig` is not a field of the random policy; expected one of: policy",
      "mesh.defaults.localityLbSetting.overprovisioningFactor: expected an integer percent ≥ 100 (Envoy overprovisioning_factor, 140 = 1.4), found number 90",
      "mesh.services.back.loadBalancer.slowStartConfig.slowStartWindow: must be longer than 0",
      "mesh.services.back.loadBalancer.slowStartConfig.aggression: expected a number > 0 (1.0 is a linear ramp), found number 0",
      "mesh.services.back.loadBalancer.slowStartConfig.minWeightPercent: expected a percent from 0 to 100, found number 150",
    ]);
  });

  test("a cache gets its capacity and hit service time", () => {
    const s = parseScenario(
      base({
        service: "    instances: 3\n    cache: { capacity: 500, hitServiceTime: const(200us) }",
      }),
      "m.yaml",
    );
    expect(s.services[1].cache?.capacity).toBe(500);
    expect(s.services[1].cache?.hitServiceTime.mean).toBeCloseTo(0.2, 12);
  });

  test("a traffic policy for a service that does not exist is an error naming the services", () => {
    expect(
      problems(base({ mesh: "mesh:\n  services:\n    bak: { loadBalancer: { policy: random } }" })),
    ).toEqual([
      "mesh.services.bak: there is no service `bak` to apply a traffic policy to; services are: back, front",
    ]);
  });

  test("a hashing policy must hash a key some load carries, never silently fall back to random", () => {
    expect(
      problems(
        base({
          mesh: "mesh:\n  services:\n    back: { loadBalancer: { policy: ring-hash, hashKey: userId } }",
        }),
      ),
    ).toEqual([
      "mesh.services.back.loadBalancer.hashKey: no load carries a key named `userId`; no load has keys (add keys: { name, count } to a load)",
    ]);
  });

  test("an unknown policy, a non-prime Maglev table and a bad zipf are each reported", () => {
    const found = problems(
      base({
        mesh: "mesh:\n  defaults: { loadBalancer: { policy: p2c } }\n  services:\n    back: { loadBalancer: { policy: maglev, hashKey: k, tableSize: 1000 } }",
        load: "    keys: { name: k, count: 5, distribution: zipf(-1) }",
      }),
    );
    expect(found).toEqual([
      expect.stringMatching(
        /^mesh\.defaults\.loadBalancer\.policy: expected a policy, one of random, round-robin, .*found string "p2c"/,
      ),
      "mesh.services.back.loadBalancer.tableSize: must be a prime number (Maglev)",
      expect.stringMatching(
        /^load\[0\]\.keys\.distribution: expected uniform or zipf\(s\) with s > 0/,
      ),
    ]);
  });

  test("a load in a zone no service uses is an error", () => {
    expect(problems(base({ load: "    zone: c" }))).toEqual([
      "load[0].zone: no service has instances in zone `c`; zones are: a, b, default",
    ]);
  });
});

describe("versions", () => {
  test("give each group of instances its labels, weight and speed, in file order", () => {
    const s = parseScenario(
      base({
        service:
          "    instances: 4\n    versions:\n      v1: { instances: 3 }\n      slow: { instances: 1, weight: 2, serviceTimeFactor: 3, labels: { track: canary } }",
      }),
      "m.yaml",
    );
    const back = s.services[1];
    expect(back.instances).toBe(4);
    expect(back.versions).toEqual([
      { name: "v1", instances: 3, labels: { version: "v1" }, weight: 1, serviceTimeFactor: 1 },
      {
        name: "slow",
        instances: 1,
        labels: { track: "canary", version: "slow" },
        weight: 2,
        serviceTimeFactor: 3,
      },
    ]);
  });

  test("must add up to `instances` when both are given", () => {
    expect(
      problems(base({ service: "    instances: 5\n    versions:\n      v1: { instances: 3 }" })),
    ).toEqual([
      "services.back.instances: is 5 but the versions add up to 3; give one or make them agree",
    ]);
  });
});

describe("routes and subsets", () => {
  const routed = (
    routes: string,
    attributes = "    attributes: { tier: { vip: 0.1, regular: 0.9 } }",
  ) =>
    base({
      service: "    versions:\n      v1: { instances: 2 }\n      v2: { instances: 1 }",
      mesh: `mesh:\n  services:\n    back:\n      subsets:\n        - { name: stable, labels: { version: v1 } }\n        - { name: canary, labels: { version: v2 } }\n      routes:\n${routes}`,
      load: attributes,
    });

  test("parse into subsets, ordered routes and weighted destinations, and attributes into value distributions", () => {
    const s = parseScenario(
      routed(
        "        - { match: [{ tier: vip }], route: [{ subset: canary }] }\n        - route: [{ subset: stable, weight: 90 }, { subset: canary, weight: 10 }]",
      ),
      "m.yaml",
    );
    expect(s.services[1].trafficPolicy.routes).toEqual([
      { match: [{ tier: "vip" }], destinations: [{ subset: "canary", weight: 100 }] },
      {
        match: [],
        destinations: [
          { subset: "stable", weight: 90 },
          { subset: "canary", weight: 10 },
        ],
      },
    ]);
    expect(s.load[0].attributes).toEqual([
      {
        name: "tier",
        values: [
          { value: "vip", probability: 0.1 },
          { value: "regular", probability: 0.9 },
        ],
      },
    ]);
  });

  test("reject weights that do not add up to 100, unknown subsets, and matches no load can satisfy", () => {
    expect(
      problems(
        routed("        - route: [{ subset: stable, weight: 90 }, { subset: canary, weight: 20 }]"),
      ),
    ).toEqual([
      "mesh.services.back.routes[0].route: the destinations' weights must add up to 100 (a single destination may leave its weight out)",
    ]);
    expect(problems(routed("        - route: [{ subset: beta }]"))).toEqual([
      'mesh.services.back.routes[0].route[0].subset: no subset "beta"; subsets are: canary, stable',
    ]);
    expect(
      problems(routed("        - { match: [{ tier: gold }], route: [{ subset: canary }] }")),
    ).toEqual([
      'mesh.services.back.routes[0].match[0].tier: no load gives tier the value "gold"; values are: regular, vip',
    ]);
    expect(
      problems(routed("        - { match: [{ plan: pro }], route: [{ subset: canary }] }")),
    ).toEqual([
      "mesh.services.back.routes[0].match[0].plan: no load sets attribute `plan`, so this never matches; loads set: tier",
    ]);
  });

  test("reject a subset that selects no instance and attribute probabilities that do not sum to 1", () => {
    const noInstance = base({
      service: "    instances: 2",
      mesh: "mesh:\n  services:\n    back:\n      subsets: [{ name: canary, labels: { version: v9 } }]",
    });
    expect(problems(noInstance)).toEqual([
      'mesh.services.back.subsets[0].labels: selects no instance of back; its versions have labels {"version":"default"}',
    ]);
    expect(
      problems(
        routed(
          "        - route: [{ subset: stable }]",
          "    attributes: { tier: { vip: 0.5, regular: 0.6 } }",
        ),
      ),
    ).toEqual(["load[0].attributes.tier: the probabilities add up to 1.1, not 1"]);
  });
});
