import { parseScenario } from "./src/scenario/load.ts";
for (const t of [`{"version":1,"__proto__":{"a":1},"name":"n","duration":"1s","services":{"a":{"operations":{"x":{"serviceTime":"1ms","__proto__":5}}}},"load":[{"name":"l","executor":"constant-vus","vus":1,"target":"a.x","__proto__":{}}]}`]) {
try { console.log(parseScenario(t, "p.json")); } catch (e) { console.log((e as Error).message); } }
