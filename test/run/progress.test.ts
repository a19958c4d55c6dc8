// Watching a run (the CLI's progress bar) runs the event list in slices; the run must not notice.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { roundSig } from "../../src/result/round.ts";
import { resultJson } from "../../src/run/files.ts";
import type { RunProgress } from "../../src/run/progress.ts";
import { runScenario } from "../../src/run/runScenario.ts";
import { type Override, parseScenario } from "../../src/scenario/loader.ts";
import type { Scenario } from "../../src/scenario/types.ts";

const root = resolve(import.meta.dirname, "../..");
const CHECKOUT = join(root, "scenarios/checkout.yaml");

/** scenarios/checkout.yaml cut to 90 s (its warm-up is 1 m), with further overrides. */
function checkout(overrides: Record<string, unknown> = {}): Scenario {
  const all: Override[] = Object.entries({ duration: "90s", ...overrides }).map(([key, value]) => ({
    path: [key],
    value,
    origin: "test",
  }));
  return parseScenario(readFileSync(CHECKOUT, "utf8"), CHECKOUT, all);
}

/** The result JSON of a run watched in slices of `sliceEvents`, and everything the watcher saw. */
function watched(scenario: Scenario, sliceEvents?: number): { json: string; seen: RunProgress[] } {
  const seen: RunProgress[] = [];
  const json = resultJson(runScenario(scenario, { onProgress: (p) => seen.push(p), sliceEvents }));
  return { json, seen };
}

describe("progress slicing", () => {
  const plain = runScenario(checkout());
  const plainJson = resultJson(plain);

  it("gives byte-identical result JSON on checkout.yaml with and without a watcher", () => {
    expect(plain.stopReason).toBe("duration");
    expect(watched(checkout()).json).toBe(plainJson);
    expect(watched(checkout(), 997).json).toBe(plainJson);
  });

  it("gives byte-identical result JSON when the event cap stops the run, whether or not a slice ends on the cap", () => {
    for (const [maxEvents, sliceEvents] of [
      [123_457, 1000],
      [100_000, 10_000],
      [100_000, 1],
      [100_000, 250_000],
    ]) {
      const capped = checkout({ maxEvents });
      const expected = runScenario(capped);
      expect(expected.stopReason).toBe("event-cap");
      expect(expected.events).toBe(maxEvents);
      expect(
        watched(capped, sliceEvents).json,
        `maxEvents ${maxEvents}, slices of ${sliceEvents}`,
      ).toBe(resultJson(expected));
    }
  });

  it("stops on the duration, not the cap, when the cap equals the run's whole event count", () => {
    const exact = checkout({ maxEvents: plain.events });
    expect(runScenario(exact).stopReason).toBe("duration");
    expect(watched(exact, 1000).json).toBe(plainJson);
    expect(watched(exact, plain.events).json).toBe(plainJson);
  });

  it("shows the watcher monotone simulated time and events, ending at the run's end", () => {
    const { seen } = watched(checkout(), 5000);
    expect(seen.length).toBeGreaterThan(10);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i].nowMs).toBeGreaterThanOrEqual(seen[i - 1].nowMs);
      expect(seen[i].events).toBeGreaterThanOrEqual(seen[i - 1].events);
      expect(seen[i].events - seen[i - 1].events).toBeLessThanOrEqual(5000);
    }
    for (const p of seen) expect(p.durationMs).toBe(90_000);
    expect(seen.at(-1)).toEqual({ nowMs: 90_000, durationMs: 90_000, events: plain.events });
  });

  it("ends the watcher's view at the last event run when the event cap stops the run", () => {
    const capped = checkout({ maxEvents: 50_000 });
    const seen: RunProgress[] = [];
    const result = runScenario(capped, { onProgress: (p) => seen.push(p), sliceEvents: 7000 });
    expect(seen.length).toBeGreaterThanOrEqual(8);
    for (let i = 1; i < seen.length; i++)
      expect(seen[i].events - seen[i - 1].events).toBeLessThanOrEqual(7000);
    expect(seen.at(-1)!.events).toBe(50_000);
    expect(result.events).toBe(50_000);
    expect(seen.at(-1)!.nowMs).toBeLessThan(90_000);
    expect(roundSig(seen.at(-1)!.nowMs, 12)).toBe(result.simulatedMs);
  });
});
