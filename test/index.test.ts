// The public library surface (src/index.ts), used the way a program outside the repository would:
// every import here comes from ../src/index.ts alone. docs/library.md documents each export, and
// the last tests hold the two lists to each other.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import * as meshsim from "../src/index.ts";
import {
  buildMaglev,
  type Comparison,
  compare,
  DEFAULT_MAGLEV_TABLE_SIZE,
  jumpHash,
  maglevLookup,
  murmur3_32,
  parseScenario,
  parseScenarioObject,
  type RunProgress,
  type RunResult,
  runScenario,
  ScenarioError,
  scenarioJsonSchema,
  xxHash64,
} from "../src/index.ts";

/** An M/M/1 station at ρ = 0.5 for 200 simulated seconds, with two balancer variants to compare. */
const STATION = `version: 1
name: library-station
seed: 3
duration: 200s
services:
  server:
    instances: 2
    operations:
      work: { serviceTime: exp(1s) }
load:
  - name: customers
    executor: constant-arrival-rate
    rate: 1
    target: server.work
compare:
  seeds: 2
  variants:
    - { name: random, set: { mesh.defaults.loadBalancer: { policy: random } } }
    - { name: round-robin, set: { mesh.defaults.loadBalancer: { policy: round-robin } } }
`;

const scratch = mkdtempSync(join(tmpdir(), "meshsim-index-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the library parses, runs and compares a scenario", () => {
  it("parses text and runs it, with a seed and a progress callback", () => {
    const scenario = parseScenario(STATION, "station.yaml");
    expect(scenario.name).toBe("library-station");
    const seen: RunProgress[] = [];
    const watched: RunResult = runScenario(scenario, {
      seed: 4,
      onProgress: (p) => seen.push(p),
      sliceEvents: 50,
    });
    expect(watched.seed).toBe(4);
    const load = watched.load.customers;
    expect(load.offered).toBeGreaterThan(150);
    expect(load.offered).toBe(load.completed + load.failed + load.inFlight);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)?.durationMs).toBe(200_000);
    // Watching the run does not change it; the file's seed is the default.
    expect(runScenario(scenario, { seed: 4 })).toEqual(watched);
    expect(runScenario(scenario).seed).toBe(3);
  });

  it("takes the same scenario as a plain object and gives the same typed scenario", () => {
    const fromObject = parseScenarioObject(parseYaml(STATION), "station");
    expect(fromObject).toEqual(parseScenario(STATION, "station.yaml"));
  });

  it("reports a bad object's problems with their field paths and no line numbers", () => {
    const bad = parseYaml(STATION);
    bad.services.server.concurency = 4;
    bad.load[0].rate = -1;
    let caught: unknown;
    try {
      parseScenarioObject(bad, "my-object");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ScenarioError);
    const problems = (caught as ScenarioError).problems;
    expect(problems.map((p) => p.path)).toEqual(["load[0].rate", "services.server.concurency"]);
    for (const p of problems) expect([p.file, p.line, p.column]).toEqual(["my-object", null, null]);
  });

  it("refuses values JSON would silently change, at their path", () => {
    const bad = parseYaml(STATION);
    bad.load[0].rate = Number.NaN;
    expect(() => parseScenarioObject(bad)).toThrow(
      "<object>: load[0].rate: expected a finite number, found NaN",
    );
    bad.load[0].rate = new Map();
    expect(() => parseScenarioObject(bad)).toThrow(/load\[0\]\.rate: expected plain data/);
  });

  it("compares variants on common random numbers", async () => {
    const file = join(scratch, "station.yaml");
    writeFileSync(file, STATION);
    const comparison: Comparison = await compare(file, { seeds: 2, workers: "inline" });
    expect(comparison.seeds).toEqual([3, 4]);
    expect(comparison.variants.map((v) => v.name)).toEqual(["random", "round-robin"]);
    const [random, roundRobin] = comparison.variants;
    // The same arrivals reach both variants; round robin spreads them more evenly.
    expect(random.loads[0].offered).toBe(roundRobin.loads[0].offered);
    expect(roundRobin.loads[0].latencyMs.mean).toBeLessThan(random.loads[0].latencyMs.mean);
  });
});

describe("the library's other exports", () => {
  it("gives the scenario format's JSON Schema", () => {
    const schema = scenarioJsonSchema() as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(["services", "load", "mesh", "faults"]),
    );
  });

  it("gives the hashing functions, pure and outside the simulator", () => {
    // MurmurHash3 x86_32 reference vectors (SMHasher).
    expect(murmur3_32("", 0)).toBe(0);
    expect(murmur3_32("hello", 0)).toBe(0x248bfa47);
    expect(jumpHash(0, 1)).toBe(0);
    const table = buildMaglev(
      [
        { id: "a", weight: 1 },
        { id: "b", weight: 1 },
      ],
      DEFAULT_MAGLEV_TABLE_SIZE,
      "XX_HASH",
    );
    const hash = xxHash64("userId-7");
    expect(hash).toBe(0x4e764d08d2f61b30n); // libxxhash 0.8.1's XXH64
    expect([0, 1]).toContain(maglevLookup(table, Number(hash >> 32n), Number(hash & 0xffffffffn)));
  });
});

describe("the exports are exactly the ones docs/library.md documents", () => {
  const doc = readFileSync(new URL("../docs/library.md", import.meta.url), "utf8");
  /** First-column names of the export tables: rows like | `name` | value | ... |. */
  const documented = (kind: "value" | "type") =>
    [...doc.matchAll(/^\| `([A-Za-z0-9_]+)` \| (value|type) \|/gm)]
      .filter((m) => m[2] === kind)
      .map((m) => m[1])
      .sort();

  it("every value export, and nothing else", () => {
    expect(Object.keys(meshsim).sort()).toEqual(documented("value"));
  });

  it("every type export, and nothing else", () => {
    const source = readFileSync(new URL("../src/index.ts", import.meta.url), "utf8");
    const types: string[] = [];
    for (const [, typeOnly, names] of source.matchAll(/^export (type )?\{([^}]*)\}/gm)) {
      for (const item of names.split(",").map((s) => s.trim())) {
        if (item === "") continue;
        if (typeOnly !== undefined) types.push(item);
        else if (item.startsWith("type ")) types.push(item.slice(5));
      }
    }
    for (const [, name] of source.matchAll(/^export (?:interface|type) ([A-Za-z0-9_]+)/gm)) {
      types.push(name);
    }
    expect(types.sort()).toEqual(documented("type"));
  });
});
