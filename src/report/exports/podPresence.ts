// Which per-instance points of the metric exports stand for a pod that exists, as kube-state-metrics
// and a Prometheus scraping pods would see it: a pod that does not exist has no series, so a
// standby slot never started, and a pod scaled down or replaced (phase `stopped`, not killed by a
// fault), export no `instance` sample at those scrapes, rather than `meshsim_instance_up 0`. An
// instance a fault has dead or failed still exists (a crashed container): it reads up 0.
import type { MetricsResult } from "../../result/metrics.ts";
import type { RunResult, StateChange } from "../../result/run.ts";
import type { StoredSeries } from "./exposition.ts";

/** Whether `series` has a sample at stored point `i`. */
export type PointExists = (series: StoredSeries, i: number) => boolean;

export const EVERY_POINT: PointExists = () => true;

export function podPointExists(result: RunResult): PointExists {
  const metrics = result.metrics;
  const absent = new Map<string, boolean[]>();
  const instances = new Set<string>();
  for (const s of metrics.series)
    if (s.labels.instance !== undefined) instances.add(s.labels.instance);
  for (const id of instances) {
    const pod = changesOf(result.stateChanges, `pod ${id}`);
    const process = changesOf(result.stateChanges, `instance ${id}`);
    const neverStarted = pod.length === 0 && process.length === 0 && neverUp(metrics, id);
    absent.set(
      id,
      metrics.timesMs.map(
        (ms) =>
          neverStarted ||
          (stateAt(pod, ms) === "stopped" &&
            !["dead", "failed"].includes(stateAt(process, ms) ?? "")),
      ),
    );
  }
  return (series, i) => {
    const id = series.labels.instance;
    return id === undefined || absent.get(id)?.[i] !== true;
  };
}

function changesOf(changes: readonly StateChange[], component: string): StateChange[] {
  return changes.filter((c) => c.component === component);
}

/** The state at `ms`: the `to` of the last change by then, the `from` of the first before it, null without changes. */
function stateAt(changes: readonly StateChange[], ms: number): string | null {
  let state: string | null = null;
  for (const c of changes) {
    if (c.atMs > ms) return state ?? c.from;
    state = c.to;
  }
  return state;
}

/** A slot with no pod or process change whose up gauge never read 1: a standby slot never started. */
function neverUp(metrics: MetricsResult, id: string): boolean {
  const up = metrics.series.find(
    (s) => s.name === "meshsim_instance_up" && s.labels.instance === id,
  );
  return up !== undefined && up.values.every((v) => v !== 1);
}
