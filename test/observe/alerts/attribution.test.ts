// Which alerts detected which fault: episodes that began firing inside a fault's window or within
// the grace after it, first firing per alert, the delay from the fault's start; everything else that
// fired is a false alarm. Mirrors src/observe/alerts/attribution.ts.
import { expect, test } from "vitest";
import type { FaultRecord } from "../../../src/faults/spec.ts";
import type { Episode } from "../../../src/observe/alerts/alertState.ts";
import { attribute, DETECTION_GRACE_MS } from "../../../src/observe/alerts/attribution.ts";

const fault = (name: string, startMs: number, endMs: number | null): FaultRecord => ({
  name,
  kind: "abort",
  startMs,
  endMs,
  targets: ["api-0"],
});
const episode = (
  alert: string,
  pendingAtMs: number,
  firingAtMs: number | null,
  resolvedAtMs: number | null = null,
): Episode => ({
  alert,
  labels: { service: "api" },
  pendingAtMs,
  firingAtMs,
  resolvedAtMs,
});

test("the first firing of each alert in the fault's window, with its delay; earlier and unfired episodes are not detections", () => {
  const faults = [fault("api-down", 60_000, 120_000)];
  const episodes = [
    episode("latency", 30_000, 45_000, 150_000), // already firing when the fault began: a false alarm
    episode("errors", 75_000, 105_000, 135_000),
    episode("errors", 140_000, 150_000, 165_000), // a second firing of the same alert: not listed again
    episode("saturation", 90_000, null, 100_000), // never fired
  ];
  const { detection, falseAlarms } = attribute(faults, episodes);
  expect(detection).toEqual([
    {
      fault: "api-down",
      kind: "abort",
      startMs: 60_000,
      endMs: 120_000,
      alerts: [{ alert: "errors", firingAtMs: 105_000, delayMs: 45_000 }],
    },
  ]);
  expect(falseAlarms).toEqual([
    { alert: "latency", labels: { service: "api" }, firingAtMs: 45_000, resolvedAtMs: 150_000 },
  ]);
});

test("the grace after a fault ends is inclusive, and a fault in force at the end has no end", () => {
  const ended = fault("blip", 0, 60_000);
  const lasting = fault("outage", 600_000, null);
  const episodes = [
    episode("a", 60_000 + DETECTION_GRACE_MS, 60_000 + DETECTION_GRACE_MS),
    episode("b", 60_000 + DETECTION_GRACE_MS + 15_000, 60_000 + DETECTION_GRACE_MS + 15_000),
    episode("c", 3_600_000, 3_600_000),
  ];
  const { detection, falseAlarms } = attribute([ended, lasting], episodes);
  expect(detection.map((d) => d.alerts.map((a) => a.alert))).toEqual([["a"], ["c"]]);
  expect(falseAlarms.map((f) => f.alert)).toEqual(["b"]);
});

test("overlapping faults both count an alert that fired while both were in force; detections are in firing order", () => {
  const { detection, falseAlarms } = attribute(
    [fault("one", 0, 100_000), fault("two", 50_000, 100_000)],
    [episode("late", 70_000, 90_000), episode("early", 10_000, 60_000)],
  );
  expect(detection.map((d) => d.alerts)).toEqual([
    [
      { alert: "early", firingAtMs: 60_000, delayMs: 60_000 },
      { alert: "late", firingAtMs: 90_000, delayMs: 90_000 },
    ],
    [
      { alert: "early", firingAtMs: 60_000, delayMs: 10_000 },
      { alert: "late", firingAtMs: 90_000, delayMs: 40_000 },
    ],
  ]);
  expect(falseAlarms).toEqual([]);
});
