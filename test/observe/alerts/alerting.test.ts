// Rule evaluation tick by tick on scripted scrapes: the pending → firing → resolved ticks for `for`
// and keep_firing_for exactly as Prometheus' alerting rule gives them (the hold measured between
// evaluations), one instance per label set, and episodes in order. Mirrors
// src/observe/alerts/alerting.ts and alertState.ts.
import { describe, expect, test } from "vitest";
import { Alerting } from "../../../src/observe/alerts/alerting.ts";
import { AlertInstance, type Episode } from "../../../src/observe/alerts/alertState.ts";
import type { AlertRuleSpec } from "../../../src/observe/alerts/types.ts";
import { SeriesStore } from "../../../src/observe/metrics/seriesStore.ts";
import { rule, set, tick } from "./scripted.ts";

const QUEUE_HIGH = 'meshsim_instance_queue_length{service="api"} > 10';

/** Runs `rules` over scrapes where instance api-<i>'s queue length at tick k is queues[i][k − 1]. */
function run(rules: AlertRuleSpec[], ...queues: number[][]): Episode[] {
  const store = new SeriesStore();
  const alerting = new Alerting(rules);
  for (let k = 1; k <= queues[0].length; k++) {
    queues.forEach((q, i) => {
      set(
        store,
        "meshsim_instance_queue_length",
        { service: "api", instance: `api-${i}` },
        q[k - 1],
      );
    });
    alerting.onScrape(tick(k), store);
  }
  return alerting.episodes;
}

const s = (seconds: number) => seconds * 1000;

describe("for", () => {
  // Ticks:    15  30  45  60  75  90 105 120 135
  const queue = [0, 20, 20, 20, 20, 0, 0, 20, 0];

  test("pending when the condition first holds, firing at the first evaluation a full `for` later, resolved when it stops", () => {
    const episodes = run([rule("queue-high", QUEUE_HIGH, { forMs: s(30) })], queue);
    expect(episodes).toEqual([
      {
        alert: "queue-high",
        labels: { instance: "api-0", service: "api" },
        pendingAtMs: s(30),
        firingAtMs: s(60),
        resolvedAtMs: s(90),
      },
      // Held for 15 s only: pending, then dropped.
      {
        alert: "queue-high",
        labels: { instance: "api-0", service: "api" },
        pendingAtMs: s(120),
        firingAtMs: null,
        resolvedAtMs: s(135),
      },
    ]);
  });

  test("for 0 fires at the evaluation that first sees the condition", () => {
    const episodes = run([rule("queue-high", QUEUE_HIGH)], queue);
    expect(episodes.map((e) => [e.pendingAtMs, e.firingAtMs, e.resolvedAtMs])).toEqual([
      [s(30), s(30), s(90)],
      [s(120), s(120), s(135)],
    ]);
  });

  test("a `for` between two ticks fires at the next tick (now − activeAt ≥ for, measured between evaluations)", () => {
    const episodes = run([rule("queue-high", QUEUE_HIGH, { forMs: s(20) })], queue);
    expect(episodes[0]).toMatchObject({
      pendingAtMs: s(30),
      firingAtMs: s(60),
      resolvedAtMs: s(90),
    });
  });

  test("an alert still active when the run ends has no resolved time", () => {
    const episodes = run([rule("queue-high", QUEUE_HIGH, { forMs: s(15) })], [0, 20, 20, 20]);
    expect(episodes).toEqual([
      {
        alert: "queue-high",
        labels: { instance: "api-0", service: "api" },
        pendingAtMs: s(30),
        firingAtMs: s(45),
        resolvedAtMs: null,
      },
    ]);
  });
});

describe("keep_firing_for", () => {
  test("a firing alert keeps firing until keep_firing_for has passed since its condition stopped; a relapse continues the episode", () => {
    // Ticks:   15  30  45  60  75  90 105 120 135 150 165
    const queue = [0, 20, 20, 20, 20, 0, 0, 20, 0, 0, 0];
    // Fires at 60 s; false at 90 (since 90) and 105 (15 s < 30 s): still firing; true again at 120
    // (the clock resets); false from 135: resolved at 165, when 30 s have passed.
    const episodes = run(
      [rule("queue-high", QUEUE_HIGH, { forMs: s(30), keepFiringForMs: s(30) })],
      queue,
    );
    expect(episodes).toEqual([
      {
        alert: "queue-high",
        labels: { instance: "api-0", service: "api" },
        pendingAtMs: s(30),
        firingAtMs: s(60),
        resolvedAtMs: s(165),
      },
    ]);
  });

  test("does not hold a pending alert", () => {
    const episodes = run(
      [rule("queue-high", QUEUE_HIGH, { forMs: s(30), keepFiringForMs: s(60) })],
      [0, 20, 0, 0],
    );
    expect(episodes).toEqual([
      {
        alert: "queue-high",
        labels: { instance: "api-0", service: "api" },
        pendingAtMs: s(30),
        firingAtMs: null,
        resolvedAtMs: s(45),
      },
    ]);
  });
});

test("each label set is its own instance; episodes are in time order, then rule order", () => {
  const episodes = run(
    [
      rule("queue-high", QUEUE_HIGH),
      rule("queue-very-high", 'meshsim_instance_queue_length{service="api"} > 50'),
    ],
    [0, 20, 60, 0],
    [0, 0, 20, 20],
  );
  expect(episodes.map((e) => [e.alert, e.labels.instance, e.pendingAtMs, e.resolvedAtMs])).toEqual([
    ["queue-high", "api-0", s(30), s(60)],
    ["queue-high", "api-1", s(45), null],
    ["queue-very-high", "api-0", s(45), s(60)],
  ]);
});

test("a rule whose metric never appears never alerts", () => {
  expect(
    run([rule("errors", "sum(rate(meshsim_request_errors_total[30s])) > 0")], [1, 2, 3, 4]),
  ).toEqual([]);
});

test("the state machine refuses an illegal transition", () => {
  const instance = new AlertInstance({ name: "x", forMs: 0, keepFiringForMs: 0 }, {}, () => {});
  expect(instance.state).toBe("inactive");
  instance.evaluate(true, 0);
  expect(instance.state).toBe("firing");
  // @ts-expect-error reaching into the choke point to check that it guards the table
  expect(() => instance.transition("firing", 1)).toThrow(/cannot go from firing to firing/);
});
