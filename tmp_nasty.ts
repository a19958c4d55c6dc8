import { parseScenario } from "./src/scenario/load.ts";
const base = (svc: string) => `version: 1
name: n
duration: 10s
services:
${svc}
load: [{ name: l, executor: constant-vus, vus: 1, target: a.x }]
`;
function show(label: string, t: string) { try { const s = parseScenario(t, "n.yaml"); console.log(label, "OK", s.services.map(x => x.name + ":" + x.operations.map(o => o.name).join("/"))); } catch (e) { console.log(label, "=>\n" + String((e as Error).message).slice(0, 600)); } }
show("proto", base(`  a: { operations: { x: { serviceTime: 1ms } } }\n  __proto__: { operations: { x: { serviceTime: 1ms } } }\n  constructor: { operations: { toString: { serviceTime: 1ms, calls: [{call: __proto__.x}, {call: constructor.valueOf}] } } }`));
let deep = "{ call: a.y }"; for (let i = 0; i < 3000; i++) deep = `{ parallel: [${deep}] }`;
show("deep", base(`  a: { operations: { x: { serviceTime: 1ms, calls: [${deep}] }, y: { serviceTime: 1ms } } }`));
show("bomb", `a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`);
show("alias-path", `version: 1\nname: n\nduration: 10s\nx: &svc { operations: { x: { serviceTime: 5 } } }\nservices: { a: *svc }\nload: [{ name: l, executor: constant-vus, vus: 1, target: a.x }]\n`);
show("merge", `version: 1\nname: n\nduration: 10s\nservices:\n  a:\n    <<: { instances: 2 }\n    operations: { x: { serviceTime: 1ms } }\nload: [{ name: l, executor: constant-vus, vus: 1, target: a.x }]\n`);
show("bigint", base(`  a: { instances: 99999999999999999999, operations: { x: { serviceTime: 1ms } } }`));
show("inf", base(`  a: { instances: .inf, operations: { x: { serviceTime: .nan } } }`));
