// `npm run fuzz [-- --runs N --minutes M --seed S]`: the long fuzz campaign of issue 20 over the
// shipped scenarios (test/fuzz/campaign.ts), 20,000 mutated documents by default within a time
// budget (15 minutes). Prints the seed first, then a tally; on a failure, fast-check's shrunk
// (minimal) case as the scenario text that reproduces it, and the command to replay it. Exit 1 on
// a failure, 0 otherwise. Also fails a case when the process passes a memory bound (2 GiB RSS).
import fc from "fast-check";
import {
  caseArb,
  caseText,
  checkCase,
  type FuzzCase,
  type Outcome,
} from "../test/fuzz/campaign.ts";

const MEMORY_BOUND_BYTES = 2 * 2 ** 30;

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}

const runs = option("runs", 20_000);
const minutes = option("minutes", 15);
const seed = option("seed", Date.now() % 2 ** 31);
process.stdout.write(`meshsim fuzz: seed ${seed}, ${runs} cases, at most ${minutes} min\n`);

const tally: Record<Outcome, number> = { refused: 0, ran: 0, skipped: 0 };
const started = performance.now();
let peakRss = 0;
const report = fc.check(
  fc.property(caseArb, (c: FuzzCase) => {
    tally[checkCase(c)]++;
    const rss = process.memoryUsage().rss;
    peakRss = Math.max(peakRss, rss);
    if (rss > MEMORY_BOUND_BYTES)
      throw new Error(`memory passed ${MEMORY_BOUND_BYTES} bytes: ${rss}`);
  }),
  { numRuns: runs, seed, interruptAfterTimeLimit: minutes * 60_000, markInterruptAsFailure: false },
);
const seconds = (performance.now() - started) / 1000;
const done = tally.refused + tally.ran + tally.skipped;
process.stdout.write(
  `meshsim fuzz: ${done} cases in ${seconds.toFixed(1)} s (${tally.refused} refused, ${tally.ran} ran, ${tally.skipped} skipped as over budget), peak RSS ${Math.round(peakRss / 2 ** 20)} MiB${report.interrupted ? ", stopped by the time budget" : ""}\n`,
);
if (report.failed && report.counterexample !== null) {
  const [c] = report.counterexample as [FuzzCase];
  process.stdout.write(
    `meshsim fuzz: FAILED (seed ${seed}, path ${report.counterexamplePath}): ${String(report.errorInstance)}\n` +
      `minimal case ${JSON.stringify(c)}; its scenario:\n---\n${caseText(c)}---\n` +
      `replay: npm run fuzz -- --seed ${seed} --runs ${runs}\n`,
  );
  process.exitCode = 1;
}
