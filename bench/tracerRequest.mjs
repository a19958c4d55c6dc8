// The span store's work for one request of the governed chain, without the rest of the simulation:
// the root with its head decision, three hops (each a client span and its server span, prepared
// at the caller and opened when the next try starts, as the tracer does), their closes, the
// critical path and the trace let go, 2 M times from a checkout's compiled dist/ (`npm run build`
// first). Prints the CPU nanoseconds a request. For old-against-new comparisons of the tracer's
// records where the whole loop's noise (a few percent between runs) hides a saving of about 1%:
// run it alternately in two checkouts, a few times each (docs/performance.md, session 10).
// Run: node bench/tracerRequest.mjs [DIR] (DIR: the checkout whose dist/ to load, default this one)
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const dir = resolve(process.argv[2] ?? new URL("..", import.meta.url).pathname);
const load = (path) => import(pathToFileURL(`${dir}/dist/observe/tracing/${path}`).href);
const { SpanStore } = await load("spanStore.js");
const { TraceIdSource } = await load("traceIds.js");
const { TraceIdRatio } = await load("sampler.js");
const { CriticalPathStats } = await load("criticalPath.js");

const store = new SpanStore();
const ids = new TraceIdSource(1);
const head = new TraceIdRatio(0.01);
const paths = new CriticalPathStats(["user", "order", "payment"], ["users"]);
const client = { name: "load/users/client-0" };
const instances = [0, 1, 2].map((i) => ({ id: `i-${i}`, service: { index: i } }));
const names = ["user.getProfile", "order.create", "payment.charge"];
// Checkouts before session 10 decide from both random words.
const byRequest = head.sampledRequest !== undefined;
let nextId = 1;
let sampled = 0;
const tries = new Int32Array(3);

function request(r) {
  const t = r * 10;
  const chosen = byRequest
    ? head.sampledRequest(ids, r)
    : head.sampledRandom(ids.randomHighOf(r), ids.randomLowOf(r));
  const root = store.openRoot(nextId++, client, names[0], t, 4, chosen);
  let parent = root;
  let sender = client;
  for (let k = 0; k < 3; k++) {
    if (k > 0) store.openPreparedServer(parent, nextId++);
    const record = store.open(root, nextId++, parent, sender, names[k], t + k, 3, 0, false);
    if (k < 2) {
      store.setPeer(record, instances[k].id);
      store.prepareServer(record, instances[k], t + k + 0.05, k);
    }
    tries[k] = record;
    parent = record;
    sender = instances[k];
  }
  store.setPeer(tries[2], instances[2].id);
  store.openServer(tries[2], nextId++, instances[2], t + 2.05, 2);
  for (let k = 2; k >= 0; k--) {
    store.closeServer(tries[k], t + 6 - k, 200, 0);
    store.close(tries[k], t + 6.05 - k, 200, 0);
  }
  store.close(root, t + 6.1, 200, 0);
  paths.record(0, store, root);
  if (store.headSampled(root)) sampled++;
  store.drop(root);
}

for (let r = 0; r < 200_000; r++) request(r);
const start = process.cpuUsage();
const requests = 2_000_000;
for (let r = 0; r < requests; r++) request(r);
const used = process.cpuUsage(start);
const ns = ((used.user + used.system) * 1000) / requests;
console.log(JSON.stringify({ dir, nsPerRequest: Number(ns.toFixed(1)), headSampled: sampled }));
