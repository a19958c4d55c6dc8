// A sidecar makes a call that is over again for a later call (Sidecar.answered), which is safe
// only if nothing reads the old call afterwards. A watcher turns the reuse off (it may keep calls),
// so a watched run is the same model without reuse: over random faults (pod kills with calls in
// flight, aborts), timeouts, retries, hedges with and without their losers cancelled, abort on
// cancel and tracing of every request, the two runs give the same result and the same traces.
// (Calls to b track their tries, so they are never made again; calls to a and c, whose callers
// are those of b's calls and whose pods die too, are.)
import { fc, test as fcTest } from "@fast-check/vitest";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Call } from "../../src/model/call.ts";
import { RunStats } from "../../src/observe/runStats.ts";
import { renderOtlp } from "../../src/report/exports/otlp.ts";
import { runScenarioWithArtefacts } from "../../src/run/runScenario.ts";
import { parseScenario } from "../../src/scenario/loader.ts";

interface Options {
  seed: number;
  attempts: number;
  timeoutMs: number;
  perTryMs: number;
  hedge: boolean;
  cancelLosers: boolean;
  cancelOnTimeout: boolean;
  abortPercent: number;
  killAtS: number;
}

const scenarioText = (o: Options) => `version: 1
name: reuse
seed: ${o.seed}
duration: 10s
services:
  a:
    instances: 3
    concurrency: 2
    operations:
      w: { serviceTime: exp(20ms), errorRate: 0.1, calls: [{ call: b.w }, { call: c.w }] }
  b:
    instances: 3
    operations:
      w: { serviceTime: exp(30ms), errorRate: 0.2, onCancel: abort }
  c:
    instances: 2
    threading: async
    operations:
      w: { serviceTime: exp(5ms) }
mesh:
  services:
    b:
      timeout: ${o.timeoutMs}ms
      cancelOnTimeout: ${o.cancelOnTimeout}
      ${
        o.hedge
          ? `hedging: { delay: 10ms, maxAttempts: 3, cancelLosers: ${o.cancelLosers} }\n      retries: { attempts: 0 }`
          : `retries: { attempts: ${o.attempts}, perTryTimeout: ${o.perTryMs}ms, retryOn: [5xx, reset, connect-failure] }`
      }
load:
  - { name: l, executor: constant-arrival-rate, target: a.w, rate: 200, clients: 2 }
faults:
  - { name: errors, kind: abort, at: 2s, duration: 5s, httpStatus: 503, percentage: ${o.abortPercent}, target: { service: b, mode: fixed, value: 1 } }
  - { name: kill, kind: pod-kill, at: ${o.killAtS}s, target: { service: b, mode: one } }
  - { name: kill-c, kind: pod-kill, at: ${o.killAtS / 2}s, target: { service: c, mode: one } }
tracing:
  ratio: 1
`;

/** A plain scenario: no timeouts, no faults, no tracing. */
const plainText = `version: 1
name: plain
seed: 7
duration: 5s
services:
  a:
    instances: 2
    threading: async
    operations:
      w: { serviceTime: exp(2ms), calls: [{ call: b.w }] }
  b:
    instances: 2
    operations:
      w: { serviceTime: exp(3ms), errorRate: 0.05 }
mesh:
  defaults:
    retries: { attempts: 0 }
load:
  - { name: l, executor: constant-arrival-rate, target: a.w, rate: 200 }
`;

/** Runs `text`, counting the tries sent and the distinct call objects they were. */
function runCounting(text: string, watched: boolean) {
  const seen = new Set<Call>();
  let tries = 0;
  const callSent = RunStats.prototype.callSent;
  vi.spyOn(RunStats.prototype, "callSent").mockImplementation(function (
    this: RunStats,
    source,
    call,
    instance,
  ) {
    tries++;
    seen.add(call);
    return callSent.call(this, source, call, instance);
  });
  const run = runScenarioWithArtefacts(
    parseScenario(text, "reuse.yaml"),
    watched ? { watcher: {} } : {},
  );
  vi.restoreAllMocks();
  return { run, tries, distinct: seen.size };
}

afterEach(() => vi.restoreAllMocks());

describe("calls made again", () => {
  it("a sidecar makes a call that is over again, unless a watcher may keep calls", () => {
    const reused = runCounting(plainText, false);
    const watched = runCounting(plainText, true);
    // 1,000 requests of two calls each; a few dozen in flight at once.
    expect(reused.tries).toBeGreaterThan(1500);
    expect(reused.distinct).toBeLessThan(reused.tries / 10);
    expect(watched.distinct).toBe(watched.tries);
    expect(watched.tries).toBe(reused.tries);
    expect(JSON.stringify(reused.run)).toBe(JSON.stringify(watched.run));
  });

  fcTest.prop(
    [
      fc.record({
        seed: fc.nat(),
        attempts: fc.integer({ min: 1, max: 3 }),
        timeoutMs: fc.integer({ min: 20, max: 400 }),
        perTryMs: fc.integer({ min: 5, max: 100 }),
        hedge: fc.boolean(),
        cancelLosers: fc.boolean(),
        cancelOnTimeout: fc.boolean(),
        abortPercent: fc.integer({ min: 0, max: 100 }),
        killAtS: fc.integer({ min: 1, max: 9 }),
      }),
    ],
    { numRuns: 10 },
  )(
    "the result and traces with calls made again are those without, over faults, timeouts, retries and hedges",
    (o) => {
      const text = scenarioText(o);
      const reused = runCounting(text, false);
      const watched = runCounting(text, true);
      expect(reused.distinct).toBeLessThan(reused.tries);
      expect(reused.run.traces).not.toBeNull();
      expect(JSON.stringify(reused.run.result)).toBe(JSON.stringify(watched.run.result));
      expect(renderOtlp(reused.run.traces!)).toBe(renderOtlp(watched.run.traces!));
    },
  );
});
