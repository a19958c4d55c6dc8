// What a level-1 data-cache miss costs on this machine when the next load depends on it, as the
// model's calls do (a call's sidecar, then its upstream, its cluster, its instance): a walk along
// a random cycle through objects of about 96 bytes, in V8 as the model's objects are, at sizes
// that fit the level-1 cache, the level-2 cache and neither. Each step reads and writes one object
// and loads the next; the time a step takes beyond the smallest size's is what a miss adds. Prints
// nanoseconds a step by working-set size. Takes about ten seconds.
// Run: node bench/cacheLatency.mjs
const SIZES = [64, 256, 2000, 8000, 30000, 100000];
const STEPS = 2e7;

/** `count` objects linked in one random cycle (a fixed seed), and the first of them. */
function cycle(count) {
  const objects = [];
  for (let i = 0; i < count; i++)
    objects.push({ next: null, a: i, b: 0, c: 0, d: 0, e: 0, f: 0, g: 0 });
  const order = objects.map((_, i) => i);
  let seed = 12345;
  for (let i = count - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const j = seed % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  for (let i = 0; i < count; i++) objects[order[i]].next = objects[order[(i + 1) % count]];
  return objects[0];
}

function walk(start, steps) {
  let object = start;
  let sum = 0;
  for (let i = 0; i < steps; i++) {
    sum += object.a;
    object.b++;
    object = object.next;
  }
  return sum;
}

for (const count of SIZES) {
  const start = cycle(count);
  walk(start, 1e6);
  const began = process.hrtime.bigint();
  walk(start, STEPS);
  const ns = Number(process.hrtime.bigint() - began) / STEPS;
  console.log(
    `${String(count).padStart(6)} objects (about ${Math.round((count * 96) / 1024)} KB): ${ns.toFixed(2)} ns a step`,
  );
}
