import { loadScenarioFile, parseScenario } from "./src/scenario/load.ts";
import { ScenarioError } from "./src/scenario/errors.ts";
const s = loadScenarioFile("test/scenario/fixtures/mm1.yaml");
console.log(JSON.stringify(s, (k, v) => (v && typeof v === "object" && "sample" in v ? String(v) : v === Infinity ? "Infinity" : v), 1));
const bad = `version: 2
name: "bad name"
duration: 20
warmup: 30s
bogus: 1
services:
  server:
    instnces: 2
    threading: sync
    operations:
      work:
        serviceTime: exp(1)
        calls:
          - call: db.query
          - call: server.work
          - parallel: []
          - {}
      other:
        errorRate: 2
  "1":
    operations: { x: { serviceTime: 5ms, calls: [{ call: server.other }] } }
load:
  - name: customers
    executor: ramping-vus
    rate: 5
    target: server.nope
  - name: customers
    executor: fancy
  - 5
thresholds:
  latency: ['p(99)<300', 'rate<0.1', 'p(0)<1s', 'avg <= 5ms']
  "latency{load:nobody}": ['p(99.9)<1s']
  errors: ['rate<2']
  foo: []
`;
try { parseScenario(bad, "bad.yaml"); } catch (e) { console.log(e instanceof ScenarioError, (e as Error).message); }
try { loadScenarioFile("nope.yaml"); } catch (e) { console.log((e as Error).message); }
for (const t of ["", "a: [", "- 1", "null", "version: 1\n---\nx: 1"]) { try { parseScenario(t, "t.yaml"); } catch (e) { console.log(JSON.stringify(t), "=>", (e as Error).message); } }
