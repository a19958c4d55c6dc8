import { parseScenario } from "./src/scenario/load.ts";
const base = (svc: string) => `version: 1
name: n
duration: 10s
services:
${svc}
load: [{ name: l, executor: constant-vus, vus: 1, target: a.x }]
`;
function show(label: string, t: string) { try { const s = parseScenario(t, "n.yaml"); console.log(label, "OK", JSON.stringify(s.services.map(x => [x.name, x.instances, x.operations.map(o => [o.name, JSON.stringify(o.calls)])]))); } catch (e) { console.log(label, "=>\n" + String((e as Error).message).slice(0, 600)); } }
show("proto", base(`  a: { operations: { x: { serviceTime: 1ms } } }\n  __proto__: { instances: 3, operations: { x: { serviceTime: 1ms } } }\n  constructor: { operations: { toString: { serviceTime: 1ms, calls: [{call: __proto__.x}] } } }`));
show("proto-bad", base(`  a: { operations: { x: { serviceTime: 1ms } } }\n  __proto__: { instances: 0, operations: { x: { serviceTime: 1ms } } }`));
for (const n of [100, 500, 1000]) {
let deep = "{ call: a.y }"; for (let i = 0; i < n; i++) deep = `{ parallel: [${deep}] }`;
const t0 = Date.now();
show("deep" + n, base(`  a: { operations: { x: { serviceTime: 1ms, calls: [${deep}] }, y: { serviceTime: 1ms } } }`));
console.log(Date.now() - t0);
}
