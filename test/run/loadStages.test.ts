// The run result records when each ramping load's k6 stages began (`loadStages`): the stage
// boundaries from the load's start, the end of its last stage when that is before the run's end,
// nothing past the run's end, and no field at all for a scenario without a ramping load.
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/run/runScenario.ts";
import { parseScenario } from "../../src/scenario/loader.ts";

function run(load: string, duration = "10s"): ReturnType<typeof runScenario> {
  const text = `version: 1
name: stages
seed: 3
duration: ${duration}
services:
  server:
    instances: 1
    concurrency: 4
    operations:
      work: { serviceTime: exp(5ms) }
load:
${load}`;
  return runScenario(parseScenario(text, "stages.yaml"));
}

const threeStages = `  - name: ramp
    executor: ramping-arrival-rate
    startTime: 500ms
    startRate: 10
    timeUnit: 1s
    stages:
      - { duration: 2s, target: 50 }
      - { duration: 1500ms, target: 50 }
      - { duration: 3s, target: 0 }
    target: server.work
`;

describe("load stage changes in the run result", () => {
  it("gives a 3-stage ramping-arrival-rate load exactly its three stage starts and its end", () => {
    const result = run(threeStages);
    expect(result.loadStages).toEqual([
      { atMs: 500, load: "ramp", stage: 1, from: 10, to: 50, durationMs: 2000, unit: "requests/s" },
      {
        atMs: 2500,
        load: "ramp",
        stage: 2,
        from: 50,
        to: 50,
        durationMs: 1500,
        unit: "requests/s",
      },
      { atMs: 4000, load: "ramp", stage: 3, from: 50, to: 0, durationMs: 3000, unit: "requests/s" },
      { atMs: 7000, load: "ramp", stage: null, from: 0, to: 0, durationMs: 0, unit: "requests/s" },
    ]);
  });

  it("leaves out the changes at or after the run's end", () => {
    // The same load in a 4 s run: stage 3 would begin at 4 s, as the run stops.
    expect(run(threeStages, "4s").loadStages!.map((c) => c.atMs)).toEqual([500, 2500]);
  });

  it("counts ramping-vus stages in VUs, and merges several loads in time order", () => {
    const result = run(
      `${threeStages}  - name: users
    executor: ramping-vus
    startTime: 1s
    startVUs: 0
    stages:
      - { duration: 2s, target: 3 }
      - { duration: 8s, target: 3 }
    thinkTime: const(100ms)
    target: server.work
`,
      "12s",
    );
    expect(
      result.loadStages!.map((c) => `${c.atMs} ${c.load} ${c.stage} ${c.from}→${c.to} ${c.unit}`),
    ).toEqual([
      "500 ramp 1 10→50 requests/s",
      "1000 users 1 0→3 VUs",
      "2500 ramp 2 50→50 requests/s",
      "3000 users 2 3→3 VUs",
      "4000 ramp 3 50→0 requests/s",
      "7000 ramp null 0→0 requests/s",
      "11000 users null 3→0 VUs",
    ]);
  });

  it("is absent from the result of a scenario without a ramping load", () => {
    const result = run(`  - name: steady
    executor: constant-arrival-rate
    rate: 20
    target: server.work
`);
    expect("loadStages" in result).toBe(false);
  });
});
