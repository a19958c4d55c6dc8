// The simulation loop of a scenario run from the compiled package (dist/, `npm run build` first),
// as bench/ratioCase.ts times it (parse and build left out, `runWithScrapes` as runScenario runs
// it), for profiles whose positions are the compiled lines: prints the loop's CPU seconds and
// events. With `--alloc FILE` it also samples allocations over the loop (V8's sampling heap
// profiler, objects collected by the garbage collector included), writes them to FILE (a
// .heapprofile DevTools opens) and prints the 15 functions that allocated most; `--promoted` beside
// it samples only what outlived the young generation (what a pool worker's old generation fills with).
// Run: node --cpu-prof --cpu-prof-dir=/tmp/prof bench/loopDist.mjs [scenario.yaml] [--alloc FILE]
//      npx tsx bench/profileTop.ts /tmp/prof/CPU.*.cpuprofile 30
// (default scenario: bench/reference/governed-chain.yaml; `checkout-1M` builds that case of
// bench/cases.ts the way it does: scenarios/checkout.yaml at a constant 600/s, no warm-up, no
// thresholds, tracing off; checkout-100k, checkout-5M and the like are the same at other sizes;
// with --rate 60, at 60 checkouts a second; with --one-each, one instance per service version)
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { runWithScrapes } from "../dist/run/scrapedRun.js";
import { buildWorld } from "../dist/scenario/build.js";
import { loadScenarioFile } from "../dist/scenario/loader.js";

/**
 * bench/cases.ts's checkout case, built from the compiled loader (cases.ts imports src/), at
 * `perSecond` checkouts a second (the case's 600 unless `--rate` says otherwise).
 */
function checkoutCase(requests, perSecond) {
  const file = loadScenarioFile(new URL("../scenarios/checkout.yaml", import.meta.url).pathname);
  const durationMs = (requests / perSecond) * 1000;
  const load = {
    ...file.load[0],
    executor: "constant-arrival-rate",
    ratePerMs: perSecond / 1000,
    arrival: "poisson",
    startTimeMs: 0,
    durationMs,
  };
  return { ...file, durationMs, warmupMs: 0, load: [load], thresholds: [], tracing: null };
}

/**
 * `service` with each version on one instance that has the slots, queue and cache of the
 * largest version's instances together (slots are the service's, not a version's: payment's
 * stable v1 keeps its three instances' 48 slots, and the canary gets as many).
 */
function foldedIntoOne(service) {
  const per = Math.max(...service.versions.map((version) => version.instances));
  return {
    ...service,
    instances: service.versions.length,
    versions: service.versions.map((version) => ({ ...version, instances: 1 })),
    concurrency: service.concurrency * per,
    queueCapacity: service.queueCapacity * per,
    cache:
      service.cache === null ? null : { ...service.cache, capacity: service.cache.capacity * per },
  };
}

const args = process.argv.slice(2);
const allocAt = args.indexOf("--alloc");
const allocFile = allocAt >= 0 ? args[allocAt + 1] : undefined;
if (allocAt >= 0) args.splice(allocAt, 2);
// --promoted (with --alloc): leave out what scavenges collected, so the sample holds only what
// outlived the young generation: the live heap at the end and the garbage mark-compacts collected.
const promotedAt = args.indexOf("--promoted");
const promotedOnly = promotedAt >= 0;
if (promotedOnly) args.splice(promotedAt, 1);
// --rate N: the checkout case at N a second instead of 600 (fewer checkouts in flight at once).
const rateAt = args.indexOf("--rate");
const rateText = rateAt >= 0 ? args[rateAt + 1] : "600";
const perSecond = Number(rateText);
if (rateAt >= 0) args.splice(rateAt, 2);
if (!(perSecond > 0 && Number.isFinite(perSecond))) {
  console.error(`--rate: expected checkouts a second, a number above 0, got ${rateText}`);
  process.exit(2);
}
// --one-each: the checkout case with each version of a service on one instance holding the slots,
// queue and cache of its largest version's instances: the same calls through about a quarter of
// the fixed state.
const oneEachAt = args.indexOf("--one-each");
const oneEach = oneEachAt >= 0;
if (oneEach) args.splice(oneEachAt, 1);
const file = args[0] ?? new URL("reference/governed-chain.yaml", import.meta.url).pathname;
// checkout-1M, or a smaller or larger size of it (checkout-100k, checkout-5M) for shorter sittings.
const sized = /^checkout-(\d+)(k|M)$/.exec(file);
if (sized === null && (rateAt >= 0 || oneEach)) {
  console.error(
    `--rate and --one-each change the checkout case (checkout-1M and the like), not ${file}`,
  );
  process.exit(2);
}
const checkout =
  sized === null
    ? null
    : checkoutCase(Number(sized[1]) * (sized[2] === "k" ? 1e3 : 1e6), perSecond);
const scenario =
  checkout === null
    ? loadScenarioFile(file)
    : oneEach
      ? { ...checkout, services: checkout.services.map(foldedIntoOne) }
      : checkout;
const world = buildWorld(scenario, scenario.seed);
const session = allocFile === undefined ? null : new Session();
if (session !== null) {
  session.connect();
  await session.post("HeapProfiler.startSampling", {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: !promotedOnly,
  });
}
const cpu = process.cpuUsage();
runWithScrapes(world.monitor, scenario.durationMs, (untilMs) =>
  world.scheduler.run(untilMs, scenario.maxEvents),
);
const used = process.cpuUsage(cpu);
if (session !== null) {
  const { profile } = await session.post("HeapProfiler.stopSampling");
  writeFileSync(allocFile, JSON.stringify({ head: profile.head }));
  const bytes = new Map();
  let total = 0;
  const visit = (node) => {
    const f = node.callFrame;
    const key = `${f.functionName || "(anonymous)"} ${f.url.replace(/^.*\/dist\//, "")}:${f.lineNumber + 1}`;
    bytes.set(key, (bytes.get(key) ?? 0) + node.selfSize);
    total += node.selfSize;
    for (const child of node.children) visit(child);
  };
  visit(profile.head);
  console.log(`allocated (sampled) over the loop: ${(total / 1e6).toFixed(0)} MB`);
  for (const [key, size] of [...bytes].sort((a, b) => b[1] - a[1]).slice(0, 15))
    console.log(`${(size / 1e6).toFixed(1).padStart(8)} MB  ${key}`);
}
console.log(
  JSON.stringify({ cpuSeconds: (used.user + used.system) / 1e6, events: world.scheduler.events }),
);
