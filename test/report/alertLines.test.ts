// The terminal summary's alert lines: one per episode, false alarms marked, then per fault which
// alerts caught it and how fast. Mirrors src/report/alertLines.ts.
import { expect, test } from "vitest";
import { alertLines } from "../../src/report/sections/alertLines.ts";
import type { RunResult } from "../../src/result/run.ts";

const resultWith = (alerts: RunResult["alerts"]) => ({ alerts }) as RunResult;

test("one line per episode, false alarms marked, then the detections per fault", () => {
  const lines = alertLines(
    resultWith({
      rules: [],
      timeline: [
        { alert: "Slow", labels: {}, pendingAtMs: 30_000, firingAtMs: 30_000, resolvedAtMs: null },
        {
          alert: "Errors",
          labels: { service: "api" },
          pendingAtMs: 75_000,
          firingAtMs: 105_000,
          resolvedAtMs: 135_000,
        },
        {
          alert: "Errors",
          labels: { service: "api" },
          pendingAtMs: 150_000,
          firingAtMs: null,
          resolvedAtMs: 165_000,
        },
      ],
      detection: [
        {
          fault: "api-down",
          kind: "abort",
          startMs: 60_000,
          endMs: 120_000,
          alerts: [{ alert: "Errors", firingAtMs: 105_000, delayMs: 45_000 }],
        },
      ],
      falseAlarms: [{ alert: "Slow", labels: {}, firingAtMs: 30_000, resolvedAtMs: null }],
    }),
  );
  expect(lines).toEqual([
    "⚑ Slow: pending 30 s, firing 30 s, still active at the end (no fault: false alarm)",
    '⚑ Errors{service="api"}: pending 75 s, firing 105 s, resolved 135 s',
    '⚑ Errors{service="api"}: pending 150 s, never fired, resolved 165 s',
    "fault api-down (abort at 60 s): Errors after 45 s",
  ]);
});

test("nothing when no alert went pending", () => {
  expect(
    alertLines(resultWith({ rules: [], timeline: [], detection: [], falseAlarms: [] })),
  ).toEqual([]);
});
