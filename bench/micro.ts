// Micro-benchmarks of the kernel's hot paths: the event list (hold model at three sizes, and the
// timeout pattern of timers that are cancelled before they fire), seeded stream draws, exponential
// sampling, and keyed draws. Each task iteration runs OPS operations so tinybench's per-iteration
// timer overhead is amortised; the second table reports ns per single operation.
// Run: npx tsx bench/micro.ts
import { Bench, type Task } from "tinybench";
import { parseDistribution } from "../src/kernel/distributionText.ts";
import { KeyedDraws } from "../src/kernel/keyedDraws.ts";
import { RandomStreams, type Rng } from "../src/kernel/random.ts";
import { type Action, Scheduler, type Timer } from "../src/kernel/scheduler.ts";

const SEED = 1;
/** Operations per task iteration. */
const OPS = 1000;
/** Pre-drawn exponential delays (mean 1 ms), cycled with a mask so drawing is not timed. */
const DELAY_COUNT = 1 << 16;
const DELAY_MASK = DELAY_COUNT - 1;

console.log(`seed ${SEED}, ${OPS} operations per task iteration`);
const streams = new RandomStreams(SEED);
const delayRng = streams.get("bench/micro/delays");
const delays = Float64Array.from({ length: DELAY_COUNT }, () => -Math.log(1 - delayRng.next()));

/**
 * Hold model: `pending` events, each of which reschedules itself after a pre-drawn delay when it
 * fires, so the list size stays constant. One operation = pop one event + schedule one event.
 */
function holdModel(pending: number): { scheduler: Scheduler; popAndSchedule(n: number): void } {
  const scheduler = new Scheduler();
  let d = 0;
  const hold: Action = () => {
    scheduler.after(delays[d++ & DELAY_MASK] * pending, hold);
  };
  for (let i = 0; i < pending; i++) scheduler.after(delays[d++ & DELAY_MASK] * pending, hold);
  return {
    scheduler,
    popAndSchedule(n: number) {
      scheduler.run(Infinity, scheduler.events + n);
    },
  };
}

/**
 * The timeout pattern: `outstanding` timeouts stay armed over a hold model of `pending` events;
 * each operation cancels the oldest timeout (its response arrived) and arms a new one. The hold
 * model advances the clock about 1 ms per pop and a timeout lives `outstanding` operations, so a
 * timeout of 10 ms × `outstanding` never fires (checked).
 */
function timeoutModel(pending: number, outstanding: number, withPop: boolean): () => void {
  const { scheduler, popAndSchedule } = holdModel(pending);
  const timeoutMs = 10 * outstanding;
  let fired = 0;
  const onTimeout: Action = () => {
    fired++;
  };
  const ring: Timer[] = Array.from({ length: outstanding }, () =>
    scheduler.after(timeoutMs, onTimeout),
  );
  let oldest = 0;
  return () => {
    for (let i = 0; i < OPS; i++) {
      if (withPop) popAndSchedule(1);
      scheduler.cancel(ring[oldest]);
      ring[oldest] = scheduler.after(timeoutMs, onTimeout);
      oldest = oldest + 1 === outstanding ? 0 : oldest + 1;
    }
    if (fired > 0) throw new Error(`${fired} timeouts fired; the bench assumes they never do`);
  };
}

const holds = [10, 1_000, 100_000].map((n) => ({ n, model: holdModel(n) }));
const cancelOnly = timeoutModel(1_000, 1_000, false);
const cancelWithPop = timeoutModel(1_000, 1_000, true);
const cancelWithPopLarge = timeoutModel(100_000, 10_000, true);

const drawRng: Rng = streams.get("bench/micro/draws");
const expRng: Rng = streams.get("bench/micro/exp");
const exp20 = parseDistribution("exp(20ms)");
const keyed = new KeyedDraws();
let keyedCounter = 0;
/** Keeps results observable so the JIT cannot drop the work. */
let sink = 0;

const bench = new Bench({ name: "meshsim kernel", time: 1000 });
for (const { n, model } of holds) {
  bench.add(`event list: schedule+pop, ${n.toLocaleString("en")} pending`, () =>
    model.popAndSchedule(OPS),
  );
}
bench
  .add("timeout: schedule+cancel, 1,000 armed, 1,000 pending", cancelOnly)
  .add("timeout: pop+cancel+schedule, 1,000 armed, 1,000 pending", cancelWithPop)
  .add("timeout: pop+cancel+schedule, 10,000 armed, 100,000 pending", cancelWithPopLarge)
  .add("RandomStreams.get(..).next()", () => {
    let s = 0;
    for (let i = 0; i < OPS; i++) s += drawRng.next();
    sink += s;
  })
  .add('parseDistribution("exp(20ms)").sample', () => {
    let s = 0;
    for (let i = 0; i < OPS; i++) s += exp20.sample(expRng);
    sink += s;
  })
  .add("KeyedDraws.begin(..)+next()", () => {
    let s = 0;
    for (let i = 0; i < OPS; i++) {
      const k = keyedCounter++;
      s += keyed.begin(k, k ^ 0x5bd1e995, 0x5eed, 1).next();
    }
    sink += s;
  });

await bench.run();
console.table(bench.table());
console.log(`(Latency and throughput above are per iteration of ${OPS} operations.)`);
console.table(bench.tasks.map(perOperation));
console.log(`sink ${sink.toFixed(3)}`);

// bench/histogram.ts runs its benchmark at top level when imported, so it is not imported here;
// run it on its own with `npx tsx bench/histogram.ts`.
console.log(
  "histogram comparison skipped: bench/histogram.ts runs on import; run `npx tsx bench/histogram.ts` separately",
);

function perOperation(task: Task): Record<string, string | number> {
  const result = task.result;
  if (result.state !== "completed") return { task: task.name, state: result.state };
  const nsPerOp = (result.latency.mean * 1e6) / OPS;
  const medianNsPerOp = (result.latency.p50 * 1e6) / OPS;
  return {
    task: task.name,
    "ns/op (mean)": Number(nsPerOp.toFixed(2)),
    "ns/op (median)": Number(medianNsPerOp.toFixed(2)),
    "M ops/s": Number((1e3 / nsPerOp).toFixed(2)),
    "rme %": Number(result.latency.rme.toFixed(2)),
  };
}
