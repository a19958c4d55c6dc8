// Lower bounds from the model, before any run: a service whose instances cannot do the work offered
// to them is unstable (utilisation ρ = λ·E[S]/(n·c) must stay below 1), so it needs more than
// λ_s·E[S_s]/c instances, i.e. ⌊λ_s·E[S_s]/c⌋ + 1. λ_s comes from every load's peak rate times the
// visits of the call graph (each step's probability, parallel branches all taken); E[S_s] is the
// mean service time, taken at its smallest (the fastest version, a cache hit if that is quicker)
// so the bound never overshoots. Left out, also to stay a bound: retries, blocking threads held
// across downstream calls, and closed (VU) loads, whose rate depends on the latency.
import type { LoadSpec, OperationSpec, PathSegment, Scenario, ServiceSpec } from "../source.ts";

/** A load's highest arrival rate, per ms; 0 for closed loads (VUs), which the bound leaves out. */
function peakRatePerMs(load: LoadSpec): number {
  switch (load.executor) {
    case "constant-arrival-rate":
      return load.ratePerMs;
    case "ramping-arrival-rate":
      return Math.max(load.startRatePerMs, ...load.stages.map((s) => s.target));
    default:
      return 0;
  }
}

/** The smallest mean time a worker slot of `service` spends on `operation`'s own work, in ms. */
function meanServiceMs(service: ServiceSpec, operation: string): number {
  const op = service.operations.find((o) => o.name === operation);
  if (op === undefined) return 0;
  const factor = Math.min(1, ...service.versions.map((v) => v.serviceTimeFactor));
  const own = op.serviceTime.mean * factor;
  return service.cache === null ? own : Math.min(own, service.cache.hitServiceTime.mean);
}

/** Busy worker-ms per ms each service is offered at the peak: Σ over its operations of λ × E[S]. */
export function offeredWork(scenario: Scenario): Map<string, number> {
  const byName = new Map(scenario.services.map((s) => [s.name, s]));
  const work = new Map(scenario.services.map((s) => [s.name, 0]));
  const visit = (service: string, operation: string, rate: number, depth: number) => {
    const s = byName.get(service);
    if (s === undefined || rate <= 0 || depth > 64) return;
    work.set(service, (work.get(service) ?? 0) + rate * meanServiceMs(s, operation));
    const op = s.operations.find((o) => o.name === operation);
    type Step = OperationSpec["calls"][number];
    const walk = (steps: readonly Step[], r: number) => {
      for (const step of steps) {
        if (step.kind === "call")
          visit(step.target.service, step.target.operation, r * step.probability, depth + 1);
        else walk(step.steps, r * step.probability);
      }
    };
    if (op !== undefined) walk(op.calls, rate);
  };
  for (const load of scenario.load)
    visit(load.target.service, load.target.operation, peakRatePerMs(load), 0);
  return work;
}

/**
 * The model's lower bound for the value at `path`: instances of a service (given its
 * concurrency) or its concurrency (given its instances); null for any other path, or when the
 * service is offered no work.
 */
export function modelBound(scenario: Scenario, path: readonly PathSegment[]): number | null {
  if (path.length !== 3 || path[0] !== "services") return null;
  const service = scenario.services.find((s) => s.name === path[1]);
  if (service === undefined) return null;
  const work = offeredWork(scenario).get(service.name) ?? 0;
  if (!(work > 0)) return null;
  if (path[2] === "instances") return Math.floor(work / service.concurrency) + 1;
  if (path[2] === "concurrency") return Math.floor(work / service.instances) + 1;
  return null;
}
