// The run-start diagnostics channel (src/run/runScenario.ts), which bench/startup/firstEventProbe.mjs
// uses to end a process at its first event: told once per run, after the world is built and before
// any event, and watching changes nothing in the result.
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { describe, expect, it } from "vitest";
import { resultJson } from "../../src/run/files.ts";
import { RUN_START_CHANNEL, runScenario } from "../../src/run/runScenario.ts";
import { parseScenario } from "../../src/scenario/loader.ts";

const TINY = `version: 1
name: tiny
seed: 5
duration: 30s
warmup: 0s
network:
  latency: 0ms
services:
  server:
    instances: 1
    concurrency: 1
    operations:
      work:
        serviceTime: exp(100ms)
load:
  - name: customers
    executor: constant-arrival-rate
    rate: 5
    timeUnit: 1s
    target: server.work
`;

describe("the run-start channel", () => {
  it("is told once per run, at simulated time 0 before any event, and leaves the result as it was", () => {
    const scenario = parseScenario(TINY, "tiny.yaml");
    const unwatched = resultJson(runScenario(scenario));
    const messages: unknown[] = [];
    const listener = (message: unknown) => messages.push(message);
    subscribe(RUN_START_CHANNEL, listener);
    try {
      const watched = resultJson(runScenario(scenario));
      expect(messages).toEqual([{ nowMs: 0 }]);
      expect(watched).toBe(unwatched);
      expect(JSON.parse(watched).events).toBeGreaterThan(100);
    } finally {
      unsubscribe(RUN_START_CHANNEL, listener);
    }
  });
});
