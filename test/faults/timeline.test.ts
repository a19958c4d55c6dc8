import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type {
  AbortRule,
  DelayRule,
  FaultActuator,
  FaultEndpoint,
  PartitionRule,
  PartitionSide,
  TrafficScope,
  Undo,
} from "../../src/faults/actuator.ts";
import type {
  FaultRecord,
  FaultSpec,
  InstanceTarget,
  PartitionTarget,
  Selection,
} from "../../src/faults/spec.ts";
import { faultEndMs } from "../../src/faults/spec.ts";
import { scheduleFaults } from "../../src/faults/timeline.ts";
import { constant } from "../../src/kernel/distributions.ts";
import { RandomStreams } from "../../src/kernel/random.ts";
import { Scheduler } from "../../src/kernel/scheduler.ts";

// ---------------------------------------------------------------------------------------------
// A tiny world: instances are plain { id, zone, phase } objects, which is all the timeline reads.

interface FakeService {
  name: string;
  instances: FaultEndpoint[];
}

function service(name: string, count: number, zones: string[]): FakeService {
  const instances = Array.from({ length: count }, (_, i) => ({
    id: `${name}-${i}`,
    zone: zones[i % zones.length],
    phase: "ready" as const,
  }));
  return { name, instances };
}

/** Services listed with instances out of id order, so the tests see the timeline sort them. */
function world(): FakeService[] {
  const user = service("user", 12, ["a"]);
  user.instances.reverse();
  return [service("order", 3, ["a", "b", "c"]), service("payment", 2, ["a", "b"]), user];
}

interface Token {
  /** Index of the record the verb belongs to: the timeline pushes a fault's record right after applying it. */
  fault: number;
  what: string;
  appliedAt: number;
  undoneAt: number[];
}

/** Logs every verb with the scheduler's time; every lasting verb's undo logs too, and may be called once. */
class FakeActuator implements FaultActuator<FaultEndpoint> {
  readonly log: string[] = [];
  readonly tokens: Token[] = [];
  readonly kills: Token[] = [];
  /** The product of the stress factors in force, per instance. */
  readonly factors = new Map<string, number>();
  records: FaultRecord[] = [];

  constructor(private readonly scheduler: Scheduler) {}

  kill(instance: FaultEndpoint): void {
    this.note(`kill ${instance.id}`);
    this.kills.push({
      fault: this.records.length,
      what: instance.id,
      appliedAt: this.scheduler.now,
      undoneAt: [],
    });
  }
  restart(instance: FaultEndpoint): void {
    this.note(`restart ${instance.id}`);
    const kill = this.kills.filter((k) => k.what === instance.id).at(-1);
    if (kill === undefined) throw new Error(`restart of ${instance.id}, which no kill took down`);
    kill.undoneAt.push(this.scheduler.now);
  }
  fail(instance: FaultEndpoint): Undo {
    return this.lasting(`fail ${instance.id}`);
  }
  stress(instance: FaultEndpoint, factor: number): Undo {
    const id = instance.id;
    this.factors.set(id, (this.factors.get(id) ?? 1) * factor);
    const undo = this.lasting(`stress ${id} x${factor}`);
    return () => {
      undo();
      this.factors.set(id, (this.factors.get(id) ?? 1) / factor);
    };
  }
  delay(rule: DelayRule<FaultEndpoint>): Undo {
    return this.lasting(`delay ${scope(rule.scope)} ${rule.delay.toString()} ${rule.percentage}%`);
  }
  abort(rule: AbortRule<FaultEndpoint>): Undo {
    return this.lasting(`abort ${scope(rule.scope)} ${rule.httpStatus} ${rule.percentage}%`);
  }
  partition(rule: PartitionRule<FaultEndpoint>): Undo {
    return this.lasting(
      `partition ${side(rule.sideA)} | ${rule.sideB === null ? "rest" : side(rule.sideB)}`,
    );
  }

  private note(what: string): void {
    this.log.push(`${this.scheduler.now} ${what}`);
  }
  private lasting(what: string): Undo {
    this.note(what);
    const token: Token = {
      fault: this.records.length,
      what,
      appliedAt: this.scheduler.now,
      undoneAt: [],
    };
    this.tokens.push(token);
    return () => {
      if (token.undoneAt.length > 0) throw new Error(`${what} undone twice`);
      token.undoneAt.push(this.scheduler.now);
      this.note(`undo ${what}`);
    };
  }
}

function scope(s: TrafficScope<FaultEndpoint>): string {
  return s.kind === "edge" ? `${s.from}->${s.to}` : s.instances.map((i) => i.id).join(",");
}

function side(s: PartitionSide<FaultEndpoint>): string {
  return [...s.zones, ...s.instances.map((i) => i.id)].join(",");
}

interface Run {
  records: FaultRecord[];
  actuator: FakeActuator;
}

function run(faults: FaultSpec[], untilMs: number, seed = 1): Run {
  const scheduler = new Scheduler();
  const actuator = new FakeActuator(scheduler);
  const records = scheduleFaults(faults, {
    services: world(),
    scheduler,
    streams: new RandomStreams(seed),
    actuator,
  });
  actuator.records = records;
  scheduler.run(untilMs);
  return { records, actuator };
}

const on = (service: string, selection: Selection = { mode: "all" }): InstanceTarget => ({
  kind: "instances",
  service,
  selection,
});

function stress(
  name: string,
  atMs: number,
  durationMs: number | null,
  factor: number,
  target = on("order", { mode: "fixed", count: 1 }),
): FaultSpec {
  return { name, kind: "cpu-stress", atMs, durationMs, factor, target };
}

function killOne(
  name: string,
  atMs: number,
  restartAfterMs: number | null,
  service = "payment",
): FaultSpec {
  return { name, kind: "pod-kill", atMs, restartAfterMs, target: on(service, { mode: "one" }) };
}

/** The instances the fault `name` selected, for a seed. */
function targetsOf(fault: FaultSpec, seed: number): string[] {
  return run([fault], fault.atMs, seed).records[0].targets;
}

// ---------------------------------------------------------------------------------------------

describe("the fault timeline", () => {
  test("pod-failure fails every selected instance at `at` and undoes each at at + duration", () => {
    const { actuator, records } = run(
      [{ name: "down", kind: "pod-failure", atMs: 1000, durationMs: 500, target: on("order") }],
      10_000,
    );
    expect(actuator.log).toEqual([
      "1000 fail order-0",
      "1000 fail order-1",
      "1000 fail order-2",
      "1500 undo fail order-0",
      "1500 undo fail order-1",
      "1500 undo fail order-2",
    ]);
    expect(records).toEqual([
      {
        name: "down",
        kind: "pod-failure",
        startMs: 1000,
        endMs: 1500,
        targets: ["order-0", "order-1", "order-2"],
      },
    ]);
  });

  test("delay on an edge and abort on instances apply their rules for their windows", () => {
    const { actuator, records } = run(
      [
        {
          name: "slow",
          kind: "delay",
          atMs: 100,
          durationMs: 200,
          delay: constant(200),
          percentage: 50,
          target: { kind: "edge", from: "load:shoppers", to: "order" },
        },
        {
          name: "errors",
          kind: "abort",
          atMs: 150,
          durationMs: null,
          httpStatus: 503,
          percentage: 10,
          target: on("payment"),
        },
      ],
      10_000,
    );
    expect(actuator.log).toEqual([
      "100 delay load:shoppers->order const(200ms) 50%",
      "150 abort payment-0,payment-1 503 10%",
      "300 undo delay load:shoppers->order const(200ms) 50%",
    ]);
    expect(records).toEqual([
      { name: "slow", kind: "delay", startMs: 100, endMs: 300, targets: ["load:shoppers->order"] },
      {
        name: "errors",
        kind: "abort",
        startMs: 150,
        endMs: null,
        targets: ["payment-0", "payment-1"],
      },
    ]);
  });

  test("partitions cut zones from the rest, two sides from each other, or instances from everyone", () => {
    const { actuator, records } = run(
      [
        {
          name: "zone-c",
          kind: "partition",
          atMs: 0,
          durationMs: 10,
          target: { sideA: { kind: "zones", zones: ["c"] }, sideB: null },
        },
        {
          name: "split",
          kind: "partition",
          atMs: 20,
          durationMs: 10,
          target: {
            sideA: { kind: "zones", zones: ["a"] },
            sideB: { kind: "zones", zones: ["b", "c"] },
          },
        },
        {
          name: "lonely",
          kind: "partition",
          atMs: 40,
          durationMs: 10,
          target: { sideA: on("payment"), sideB: null },
        },
      ],
      100,
    );
    expect(actuator.log).toEqual([
      "0 partition c | rest",
      "10 undo partition c | rest",
      "20 partition a | b,c",
      "30 undo partition a | b,c",
      "40 partition payment-0,payment-1 | rest",
      "50 undo partition payment-0,payment-1 | rest",
    ]);
    expect(records.map((r) => r.targets)).toEqual([["c"], ["a", "b,c"], ["payment-0,payment-1"]]);
  });

  test("overlapping stress x2 and x3 on one instance are undone exactly, each at its own end", () => {
    const target = on("order", { mode: "fixed", count: 3 });
    const { actuator } = run(
      [stress("x2", 0, 100, 2, target), stress("x3", 50, 100, 3, on("order", { mode: "one" }))],
      1000,
      4,
    );
    const id = actuator.tokens[3].what.split(" ")[1];
    const onIt = actuator.log.filter((line) => line.includes(`${id} `));
    expect(onIt).toEqual([
      `0 stress ${id} x2`,
      `50 stress ${id} x3`,
      `100 undo stress ${id} x2`,
      `150 undo stress ${id} x3`,
    ]);
    expect([...actuator.factors.values()]).toEqual([1, 1, 1]);
  });

  test("at one instant a fault that ends is undone before a fault that starts is applied", () => {
    const { actuator } = run(
      [stress("second", 100, 100, 3, on("order")), stress("first", 0, 100, 2, on("order"))],
      1000,
    );
    expect(actuator.log.filter((line) => line.startsWith("100 "))).toEqual([
      "100 undo stress order-0 x2",
      "100 undo stress order-1 x2",
      "100 undo stress order-2 x2",
      "100 stress order-0 x3",
      "100 stress order-1 x3",
      "100 stress order-2 x3",
    ]);
  });

  test("pod-kill restarts its instances after restartAfter, and without it they stay down", () => {
    const { actuator, records } = run(
      [
        killOne("blip", 1000, 30_000, "order"),
        { name: "gone", kind: "pod-kill", atMs: 2000, restartAfterMs: null, target: on("payment") },
      ],
      60_000,
    );
    const [blipped] = records[0].targets;
    expect(actuator.log).toEqual([
      `1000 kill ${blipped}`,
      "2000 kill payment-0",
      "2000 kill payment-1",
      `31000 restart ${blipped}`,
    ]);
    expect(records).toEqual([
      { name: "blip", kind: "pod-kill", startMs: 1000, endMs: 31_000, targets: [blipped] },
      {
        name: "gone",
        kind: "pod-kill",
        startMs: 2000,
        endMs: null,
        targets: ["payment-0", "payment-1"],
      },
    ]);
  });

  test("a pod-kill selects among the instances still up, so two kills of one take both, and a third finds none", () => {
    const { records, actuator } = run(
      [
        killOne("k1", 0, 100),
        killOne("k2", 10, 100),
        killOne("k3", 20, 100),
        killOne("k4", 100, 100),
      ],
      1000,
    );
    expect([...records[0].targets, ...records[1].targets].sort()).toEqual([
      "payment-0",
      "payment-1",
    ]);
    expect(records[2].targets).toEqual([]);
    expect(records[3].targets).toHaveLength(1);
    expect(actuator.log.filter((line) => line.includes("restart"))).toHaveLength(3);
  });

  test("a fault still in force when the run ends keeps endMs null and is never undone", () => {
    const { actuator, records } = run([stress("long", 0, 5000, 2, on("payment"))], 4999);
    expect(records[0].endMs).toBeNull();
    expect(actuator.log.some((line) => line.includes("undo"))).toBe(false);
  });

  test("records come in start order whatever the list order, and faults after the run never start", () => {
    const { records } = run(
      [
        stress("c", 300, 10, 2),
        stress("a", 100, 10, 2),
        stress("never", 2000, 10, 2),
        stress("b", 100, 10, 2),
      ],
      1000,
    );
    expect(records.map((r) => `${r.name}@${r.startMs}`)).toEqual(["a@100", "b@100", "c@300"]);
  });
});

describe("selecting instances (Chaos Mesh modes)", () => {
  const fixed3 = stress("pick", 0, null, 2, on("user", { mode: "fixed", count: 3 }));

  test("all takes every instance, in natural id order (user-2 before user-10)", () => {
    expect(targetsOf(stress("all", 0, null, 2, on("user")), 1)).toEqual(
      Array.from({ length: 12 }, (_, i) => `user-${i}`),
    );
  });

  test("one takes a single instance; the same seed takes the same one, and the seeds spread over all of them", () => {
    const one = stress("one", 0, null, 2, on("user", { mode: "one" }));
    expect(targetsOf(one, 7)).toHaveLength(1);
    expect(targetsOf(one, 7)).toEqual(targetsOf(one, 7));
    const chosen = new Set(Array.from({ length: 200 }, (_, seed) => targetsOf(one, seed)[0]));
    expect(chosen.size).toBe(12);
  });

  test("fixed takes `value` distinct instances, reproducibly for a seed and differently for another", () => {
    const first = targetsOf(fixed3, 7);
    expect(new Set(first).size).toBe(3);
    expect(targetsOf(fixed3, 7)).toEqual(first);
    expect(targetsOf(fixed3, 8)).not.toEqual(first);
  });

  test("the draw belongs to the fault: another fault beside it does not change its choice", () => {
    const alone = run([fixed3], 0, 7).records[0].targets;
    const beside = run(
      [stress("other", 0, null, 2, on("user", { mode: "fixed", count: 5 })), fixed3],
      0,
      7,
    ).records;
    expect(beside.find((r) => r.name === "pick")?.targets).toEqual(alone);
  });

  test("fixed-percent rounds down as Chaos Mesh does: 30% of 12 is 3, 50% of 3 is 1, 99% of 2 is 1, 100% of 12 is 12", () => {
    const percent = (service: string, p: number) =>
      targetsOf(stress("pct", 0, null, 2, on(service, { mode: "fixed-percent", percent: p })), 3)
        .length;
    expect(percent("user", 30)).toBe(3);
    expect(percent("order", 50)).toBe(1);
    expect(percent("payment", 99)).toBe(1);
    expect(percent("user", 100)).toBe(12);
    expect(percent("payment", 30)).toBe(0);
  });

  test("random-max-percent takes ⌊n·p/100⌋ for a p drawn from 0..value, so at most 6 of 12 at 50%", () => {
    const counts = Array.from(
      { length: 100 },
      (_, seed) =>
        targetsOf(
          stress("rmp", 0, null, 2, on("user", { mode: "random-max-percent", maxPercent: 50 })),
          seed,
        ).length,
    );
    expect(Math.max(...counts)).toBe(6);
    expect(Math.min(...counts)).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// Property: over random fault lists, each lasting verb is undone exactly once at at + duration,
// or never when that lies beyond the run; records are in start order.

const RUN_MS = 1000;
const SERVICES = ["order", "payment", "user"];

const selectionArb: fc.Arbitrary<Selection> = fc.oneof(
  fc.constant<Selection>({ mode: "one" }),
  fc.constant<Selection>({ mode: "all" }),
  fc.integer({ min: 1, max: 2 }).map((count): Selection => ({ mode: "fixed", count })),
  fc
    .integer({ min: 50, max: 100 })
    .map((percent): Selection => ({ mode: "fixed-percent", percent })),
  fc
    .integer({ min: 1, max: 100 })
    .map((maxPercent): Selection => ({ mode: "random-max-percent", maxPercent })),
);
const instancesArb = fc
  .record({ service: fc.constantFrom(...SERVICES), selection: selectionArb })
  .map(({ service, selection }) => on(service, selection));
// Coarse times, so ties between ends and starts are common.
const timeArb = fc.integer({ min: 0, max: 12 }).map((t) => t * 100);
const durationArb = fc.option(
  fc.integer({ min: 1, max: 8 }).map((d) => d * 100),
  { nil: null },
);

const faultArb: fc.Arbitrary<Omit<FaultSpec, "name">> = fc.oneof(
  fc.record({
    kind: fc.constant("pod-kill" as const),
    atMs: timeArb,
    restartAfterMs: durationArb,
    target: instancesArb,
  }),
  fc.record({
    kind: fc.constant("pod-failure" as const),
    atMs: timeArb,
    durationMs: durationArb,
    target: instancesArb,
  }),
  fc.record({
    kind: fc.constant("cpu-stress" as const),
    atMs: timeArb,
    durationMs: durationArb,
    factor: fc.constantFrom(2, 3),
    target: instancesArb,
  }),
  fc.record({
    kind: fc.constant("delay" as const),
    atMs: timeArb,
    durationMs: durationArb,
    delay: fc.constant(constant(5)),
    percentage: fc.constant(100),
    target: fc.oneof(
      instancesArb,
      fc.constant({ kind: "edge" as const, from: "order", to: "payment" }),
    ),
  }),
  fc.record({
    kind: fc.constant("abort" as const),
    atMs: timeArb,
    durationMs: durationArb,
    httpStatus: fc.constant(503),
    percentage: fc.constant(5),
    target: instancesArb,
  }),
  fc.record({
    kind: fc.constant("partition" as const),
    atMs: timeArb,
    durationMs: durationArb,
    target: fc.constant<PartitionTarget>({ sideA: { kind: "zones", zones: ["a"] }, sideB: null }),
  }),
);

describe("the fault timeline over random fault lists", () => {
  test("every lasting verb is undone exactly once at at + duration, or never if that is after the run; records are in start order", () => {
    fc.assert(
      fc.property(
        fc.array(faultArb, { maxLength: 12 }),
        fc.integer({ min: 0, max: 1000 }),
        (drafts, seed) => {
          const faults = drafts.map((draft, i) => ({ ...draft, name: `f${i}` }) as FaultSpec);
          const { records, actuator } = run(faults, RUN_MS, seed);

          const started = faults.filter((f) => f.atMs <= RUN_MS);
          expect(records).toHaveLength(started.length);
          for (let i = 1; i < records.length; i++) {
            const [before, after] = [records[i - 1], records[i]];
            expect(before.startMs <= after.startMs).toBe(true);
            // Ties start in list order (names are f<index>).
            if (before.startMs === after.startMs)
              expect(Number(before.name.slice(1)) < Number(after.name.slice(1))).toBe(true);
          }
          records.forEach((record, index) => {
            const fault = faults.find((f) => f.name === record.name)!;
            const end = faultEndMs(fault);
            const ended = end !== null && end <= RUN_MS;
            expect(record.startMs).toBe(fault.atMs);
            expect(record.endMs).toBe(ended ? end : null);
            const verbs = [...actuator.tokens, ...actuator.kills].filter((t) => t.fault === index);
            for (const verb of verbs) {
              expect(verb.appliedAt).toBe(fault.atMs);
              expect(verb.undoneAt).toEqual(ended ? [end] : []);
            }
          });
          // Stress factors in force at the end are exactly those of the stresses not yet undone.
          for (const [id, factor] of actuator.factors) {
            const open = actuator.tokens.filter(
              (t) => t.what.startsWith(`stress ${id} `) && t.undoneAt.length === 0,
            );
            const product = open.reduce((p, t) => p * Number(t.what.split("x").at(-1)), 1);
            expect(factor).toBeCloseTo(product, 9);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
