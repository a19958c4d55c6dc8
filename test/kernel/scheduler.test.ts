import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { Scheduler, type Timer } from "../../src/kernel/scheduler.ts";

describe("the event list", () => {
  it("runs events in time order and same-time events in insertion order", () => {
    const s = new Scheduler();
    const seen: string[] = [];
    s.at(5, () => seen.push("b"));
    s.at(1, () => seen.push("a"));
    s.at(5, () => seen.push("c"));
    s.at(5, () => s.at(5, () => seen.push("e")));
    s.at(5, () => seen.push("d"));
    s.run(10);
    expect(seen).toEqual(["a", "b", "c", "d", "e"]);
    expect(s.now).toBe(10);
  });

  it("does not run a cancelled timer, and cancelling twice or after firing is harmless", () => {
    const s = new Scheduler();
    const seen: number[] = [];
    const t = s.at(3, () => seen.push(3));
    const fired = s.at(1, () => seen.push(1));
    s.at(2, () => s.cancel(t));
    s.run(10);
    s.cancel(t);
    s.cancel(fired);
    expect(seen).toEqual([1]);
  });

  it("refuses to schedule in the past", () => {
    const s = new Scheduler();
    s.at(5, () => expect(() => s.at(4, () => {})).toThrow(/clock is already at 5/));
    s.run(10);
  });

  it("stops at the event cap and reports it", () => {
    const s = new Scheduler();
    const tick = (): void => void s.after(1, tick);
    s.at(0, tick);
    expect(s.run(1_000, 25)).toBe("event-cap");
    expect(s.events).toBe(25);
    expect(s.now).toBe(24);
  });

  it("stands at a plain 0, not -0, when the cap stops it before any event", () => {
    const s = new Scheduler();
    s.at(5, () => {});
    expect(s.run(10, 0)).toBe("event-cap");
    // toBe is Object.is: -0 would fail (the last event's time starts as -0, see the scheduler).
    expect(s.now).toBe(0);
  });

  it("leaves events after `until` pending, and runs them on the next call", () => {
    const s = new Scheduler();
    const seen: number[] = [];
    s.at(5, () => seen.push(5));
    s.at(15, () => seen.push(15));
    expect(s.run(10)).toBe("duration");
    expect(seen).toEqual([5]);
    expect(s.pending).toBe(1);
    s.run(20);
    expect(seen).toEqual([5, 15]);
  });

  // Any interleaving of schedules (including at the current time, from inside events) and
  // cancels pops exactly the uncancelled events, in (time, insertion sequence) order.
  const op = fc.oneof(
    fc.record({
      kind: fc.constant("at" as const),
      delay: fc.oneof(
        fc.constant(0),
        fc.integer({ min: 0, max: 20 }),
        fc.double({ min: 0, max: 20, noNaN: true }),
      ),
    }),
    fc.record({ kind: fc.constant("cancel" as const), which: fc.nat() }),
    fc.record({ kind: fc.constant("step" as const) }),
  );
  fcTest.prop([fc.array(op, { maxLength: 300 })])(
    "pops in (time, sequence) order for any schedule/cancel interleaving",
    (ops) => {
      const s = new Scheduler();
      const timers: { timer: Timer; time: number; seq: number; cancelled: boolean }[] = [];
      const popped: { time: number; seq: number }[] = [];
      let seq = 0;
      for (const o of ops) {
        if (o.kind === "at") {
          const record = {
            time: s.now + o.delay,
            seq: seq++,
            cancelled: false,
            timer: null as unknown as Timer,
          };
          record.timer = s.at(record.time, () =>
            popped.push({ time: record.time, seq: record.seq }),
          );
          timers.push(record);
        } else if (o.kind === "cancel" && timers.length > 0) {
          const t = timers[o.which % timers.length];
          if (s.isPending(t.timer)) t.cancelled = true;
          s.cancel(t.timer);
        } else if (o.kind === "step") {
          s.run(s.now + 1);
        }
      }
      s.run(Infinity);
      const expected = timers
        .filter((t) => !t.cancelled)
        .map(({ time, seq }) => ({ time, seq }))
        .sort((a, b) => a.time - b.time || a.seq - b.seq);
      expect(popped).toEqual(expected);
      expect(s.pending).toBe(0);
    },
  );
});

describe("events that schedule and cancel from inside their own actions", () => {
  // The fired event sits at the heap's root while its action runs, and the first event the action
  // schedules takes its slot: any mix of schedules, posts and cancels inside actions must still
  // pop exactly the uncancelled events in (time, sequence) order, each once.
  const inner = fc.oneof(
    fc.record({
      kind: fc.constant("at" as const),
      delay: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 9 })),
    }),
    fc.record({
      kind: fc.constant("post" as const),
      delay: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 9 })),
    }),
    fc.record({ kind: fc.constant("cancel" as const), which: fc.nat() }),
  );
  // The list keeps no heap positions until the first cancel of a pending event
  // (Scheduler.tracked), which here comes from inside an action, with events pending, its own slot
  // still at the root and, often, handles of fired events whose slots were reused. With
  // `handlesFirst` false the first events are posted; with `selfCheck` false an action does not
  // ask about its own handle, so stale handles, whose slots were reused while no positions were
  // kept, are asked about and cancelled by the scripts alone.
  fcTest.prop([
    fc.array(fc.array(inner, { maxLength: 4 }), { minLength: 1, maxLength: 20 }),
    fc.integer({ min: 1, max: 5 }),
    fc.boolean(),
    fc.boolean(),
  ])(
    "pop in (time, sequence) order, each once, with stale handles of fired events",
    (scripts, roots, handlesFirst, selfCheck) => {
      const s = new Scheduler();
      type Record = { time: number; seq: number; cancelled: boolean; timer: Timer | null };
      const records: Record[] = [];
      const popped: number[] = [];
      let budget = 400;
      const schedule = (delay: number, cancellable: boolean): void => {
        const record: Record = {
          time: s.now + delay,
          seq: records.length,
          cancelled: false,
          timer: null,
        };
        records.push(record);
        const action = (): void => {
          popped.push(record.seq);
          if (selfCheck && record.timer !== null) {
            expect(s.isPending(record.timer)).toBe(false);
            s.cancel(record.timer); // harmless: it already fired
          }
          for (const o of scripts[record.seq % scripts.length]) {
            if (budget-- <= 0) return;
            if (o.kind === "cancel") {
              const target = records[o.which % records.length];
              if (target.timer !== null && s.isPending(target.timer)) target.cancelled = true;
              if (target.timer !== null) s.cancel(target.timer);
            } else schedule(o.delay, o.kind === "at");
          }
        };
        if (cancellable) record.timer = s.at(record.time, action);
        else s.post(record.time, action);
      };
      for (let i = 0; i < roots; i++) schedule(i, handlesFirst && i % 2 === 0);
      s.run(Infinity);
      const expected = records
        .filter((r) => !r.cancelled)
        .sort((a, b) => a.time - b.time || a.seq - b.seq)
        .map((r) => r.seq);
      expect(popped).toEqual(expected);
      expect(s.pending).toBe(0);
    },
  );
});

describe("posted events", () => {
  fcTest.prop([
    fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 5 })), { maxLength: 200 }),
  ])(
    "interleave with cancellable timers in (time, sequence) order, and reused entries never fire twice",
    (plan) => {
      const s = new Scheduler();
      const fired: number[] = [];
      const expected: { time: number; id: number }[] = [];
      plan.forEach(([posted, delay], id) => {
        const time = delay;
        if (posted) s.post(time, () => fired.push(id));
        else s.at(time, () => fired.push(id));
        expected.push({ time, id });
      });
      s.run(10);
      // A second round reuses the pooled entries of the first.
      plan.forEach(([posted, delay], id) => {
        const time = 10 + delay;
        if (posted) s.postAfter(delay, () => fired.push(1000 + id));
        else s.after(delay, () => fired.push(1000 + id));
        expected.push({ time, id: 1000 + id });
      });
      s.run(20);
      expect(fired).toEqual(
        expected
          .sort(
            (a, b) =>
              a.time - b.time || (a.id >= 1000 ? 1 : 0) - (b.id >= 1000 ? 1 : 0) || a.id - b.id,
          )
          .map((e) => e.id),
      );
    },
  );
});

describe("running in pieces (how scrapes and progress watch a run)", () => {
  /** A small self-feeding model: each event may schedule up to two more at integer delays. */
  function model(s: Scheduler, seen: string[], plan: number[]): void {
    let next = 0;
    const spawn = (label: string) => () => {
      seen.push(`${label}@${s.now}`);
      for (let k = 0; k < 2 && next < plan.length; k++) {
        const delay = plan[next++];
        if (delay >= 0) s.at(s.now + delay, spawn(`${label}.${k}`));
      }
    };
    s.at(0, spawn("root"));
    s.at(3, spawn("other"));
  }

  fcTest.prop([
    fc.array(fc.integer({ min: -1, max: 6 }), { maxLength: 60 }),
    fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 8 }),
    fc.integer({ min: 1, max: 80 }),
    fc.integer({ min: 10, max: 40 }),
  ])(
    "run(t1), run(t2), ..., run(end) ends exactly where run(end) does, event cap included",
    (plan, cuts, maxEvents, end) => {
      const whole = new Scheduler();
      const wholeSeen: string[] = [];
      model(whole, wholeSeen, plan);
      const wholeReason = whole.run(end, maxEvents);

      const pieces = new Scheduler();
      const piecesSeen: string[] = [];
      model(pieces, piecesSeen, plan);
      let reason: string = "not yet run";
      for (const cut of [...cuts].sort((a, b) => a - b).filter((c) => c <= end)) {
        reason = pieces.run(cut, maxEvents);
        if (reason === "event-cap") break;
      }
      if (reason !== "event-cap") reason = pieces.run(end, maxEvents);

      expect(piecesSeen).toEqual(wholeSeen);
      expect(reason).toBe(wholeReason);
      expect(pieces.now).toBe(whole.now);
      expect(pieces.events).toBe(whole.events);
    },
  );
});

describe("timer lanes (fixed-duration timers kept in order without the heap)", () => {
  const DURATIONS = [0, 3, 7.5];
  const op = fc.oneof(
    fc.record({
      kind: fc.constant("at" as const),
      delay: fc.oneof(fc.integer({ min: 0, max: 9 }), fc.double({ min: 0, max: 9, noNaN: true })),
    }),
    fc.record({
      kind: fc.constant("lane" as const),
      lane: fc.integer({ min: 0, max: DURATIONS.length - 1 }),
    }),
    // An event posted with a fixed delay (postFireFixed: a constant network leg).
    fc.record({
      kind: fc.constant("fixed" as const),
      lane: fc.integer({ min: 0, max: DURATIONS.length - 1 }),
    }),
    fc.record({ kind: fc.constant("cancel" as const), which: fc.nat() }),
  );
  type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

  /**
   * Plays a script where each event runs its ops; `useLanes` puts fixed-duration timers and
   * fixed-delay posts in lanes instead of the heap.
   */
  function play(useLanes: boolean, scripts: Op[][], roots: number, maxEvents: number) {
    const s = new Scheduler();
    const fired: string[] = [];
    const cancels: (() => void)[] = [];
    let budget = 600;
    const set = (o: Op): void => {
      if (o.kind === "cancel") {
        if (cancels.length > 0) cancels[o.which % cancels.length]();
        return;
      }
      const id = cancels.length;
      const action = (): void => {
        fired.push(`${id}@${s.now}`);
        for (const next of scripts[id % scripts.length]) if (budget-- > 0) set(next);
      };
      if (o.kind === "fixed") {
        if (useLanes) s.postFireFixed(DURATIONS[o.lane], { fire: action });
        else s.postFire(DURATIONS[o.lane], { fire: action });
        cancels.push(() => {});
      } else if (o.kind === "lane" && useLanes) {
        const timer = s.afterFixed(DURATIONS[o.lane], { fire: action });
        cancels.push(() => s.cancel(timer));
      } else {
        const timer = s.after(o.kind === "lane" ? DURATIONS[o.lane] : o.delay, action);
        cancels.push(() => s.cancel(timer));
      }
    };
    for (let i = 0; i < roots; i++) {
      set({ kind: "lane", lane: i % DURATIONS.length });
      set({ kind: "fixed", lane: (i + 1) % DURATIONS.length });
      set({ kind: "at", delay: i });
    }
    const reason = s.run(Infinity, maxEvents);
    return { fired, reason, events: s.events, now: s.now, pending: s.pending };
  }

  fcTest.prop([
    fc.array(fc.array(op, { maxLength: 4 }), { minLength: 1, maxLength: 30 }),
    fc.integer({ min: 1, max: 5 }),
    fc.integer({ min: 1, max: 400 }),
  ])(
    "fire exactly the events, times and order that heap timers and posts would, cancels and the event cap included",
    (scripts, roots, maxEvents) => {
      expect(play(true, scripts, roots, maxEvents)).toEqual(play(false, scripts, roots, maxEvents));
    },
  );

  it("keep thousands of pending timers in order as the ring grows, skipping cancelled ones", () => {
    const s = new Scheduler();
    const fired: number[] = [];
    const timers: Timer[] = [];
    for (let i = 0; i < 3000; i++)
      s.at(i / 100, () => timers.push(s.afterFixed(100, { fire: () => fired.push(i) })));
    s.run(50);
    expect(s.pending).toBe(3000);
    expect(timers.every((t) => s.isPending(t))).toBe(true);
    for (let i = 0; i < 3000; i += 2) s.cancel(timers[i]);
    s.cancel(timers[0]); // twice is harmless
    expect(s.pending).toBe(1500);
    expect(s.isPending(timers[0])).toBe(false);
    expect(s.run(Infinity)).toBe("drained");
    expect(fired).toEqual(Array.from({ length: 1500 }, (_, k) => 2 * k + 1));
    expect(s.now).toBeCloseTo(100 + 29.99, 9);
    s.cancel(timers[1]); // after it fired: harmless
    expect(s.isPending(timers[1])).toBe(false);
    expect(s.pending).toBe(0);
  });
});
