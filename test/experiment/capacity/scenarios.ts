// Small scenarios for the capacity tests, written to temporary files: one station of exponential
// service under Poisson arrivals, with its threshold, so the queueing closed forms apply.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function file(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "meshsim-capacity-")), `${name}.yaml`);
  writeFileSync(path, text);
  return path;
}

/** One service of exponential service time 10 ms (μ = 100/s) under Poisson arrivals. */
export function station(o: {
  rate: number;
  duration: string;
  instances?: number;
  threshold: string;
  random?: boolean;
}): string {
  return `version: 1
name: station
seed: 1
duration: ${o.duration}
warmup: 5s
network:
  latency: 0ms
services:
  server:
    instances: ${o.instances ?? 1}
    concurrency: 1
    operations:
      work:
        serviceTime: exp(10ms)
${o.random ? "mesh:\n  defaults:\n    loadBalancer: { policy: random }\n" : ""}load:
  - name: customers
    executor: constant-arrival-rate
    rate: ${o.rate}
    timeUnit: 1s
    arrival: poisson
    target: server.work
thresholds:
  latency: ['${o.threshold}']
`;
}
