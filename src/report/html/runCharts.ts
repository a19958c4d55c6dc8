// The run report's charts, built from the run result: the charts over time (each with the
// scenario's events marked), the instances, alerts and critical path, and the control plane's.
// Each is null where the result lacks its data, so runReport.ts can say so in a line instead.
import type { RunResult } from "../../result/run.ts";
import { configOf } from "../sections/config.ts";
import { discoveryOf } from "../sections/discovery.ts";
import { alertsOf, criticalPathOf } from "../sections/optional.ts";
import { recoveryOf } from "../sections/recovery.ts";
import { securityOf } from "../sections/security.ts";
import { alertsChart } from "./charts/alerts.ts";
import type { Chart } from "./charts/common.ts";
import { configVersionsChart } from "./charts/configVersions.ts";
import { criticalPathChart } from "./charts/criticalPath.ts";
import { withEvents } from "./charts/events.ts";
import { instanceSpreadChart } from "./charts/instanceSpread.ts";
import { instancesChart } from "./charts/instances.ts";
import { latencyChart } from "./charts/latency.ts";
import { podsChart } from "./charts/pods.ts";
import { saturationChart } from "./charts/saturation.ts";
import { securityChart } from "./charts/security.ts";
import { servicesChart } from "./charts/services.ts";
import { stalenessChart } from "./charts/staleness.ts";
import { statesChart } from "./charts/states.ts";
import { trafficChart } from "./charts/traffic.ts";
import {
  governanceGaugeRows,
  instanceRows,
  latencyRows,
  metricsOf,
  neverServed,
  problemRows,
  throughputRows,
  timeAxis,
  warmupMsOf,
} from "./data/chartRows.ts";
import { scenarioEvents } from "./data/events.ts";
import { loadChanges, saturationRows } from "./data/saturation.ts";
import {
  instanceSpreads,
  podServing,
  serviceGaugeRows,
  serviceLatencyRows,
} from "./data/serviceRows.ts";
import { alertIntervals, faultBands, stateIntervals, warmupBand } from "./data/timeline.ts";

/** The report's charts; null where the result lacks the data (no time series, no alert fired, tracing off). */
export interface RunCharts {
  latency: Chart | null;
  traffic: Chart | null;
  /** Null also when nothing changed state (see statesChart). */
  states: Chart | null;
  instances: Chart;
  /** Each service's latency, utilisation, queue and in flight over time; null without series. */
  services: Chart | null;
  /** The busiest and least busy instance of each service over time, the rest as a band. */
  instanceSpread: Chart | null;
  /** Latency and throughput against the offered rate; null when the load did not change (or no series). */
  saturation: Chart | null;
  alerts: Chart | null;
  criticalPath: Chart | null;
}

export function runCharts(result: RunResult): RunCharts {
  const axis = timeAxis(result.simulatedMs);
  const faults = faultBands(result, axis);
  const warmup = warmupBand(warmupMsOf(result), axis);
  const metrics = metricsOf(result);
  const loads = Object.keys(result.load);
  const alerts = alertsOf(result);
  const alertSpans = alerts === null ? [] : alertIntervals(alerts, result.simulatedMs, axis);
  const path = criticalPathOf(result);
  const events = scenarioEvents(result, axis);
  const marked = (chart: Chart | null) => withEvents(chart, events, axis);
  return {
    latency:
      metrics &&
      marked(
        latencyChart({
          rows: latencyRows(result, metrics, axis),
          axis,
          faults,
          warmup,
          stepMs: metrics.stepMs,
          loads,
        }),
      ),
    traffic:
      metrics &&
      marked(
        trafficChart({
          throughput: throughputRows(metrics, axis),
          problems: problemRows(metrics, axis),
          axis,
          faults,
          warmup,
          stepMs: metrics.stepMs,
        }),
      ),
    states:
      metrics &&
      marked(
        statesChart({
          intervals: stateIntervals(result, axis),
          gauges: governanceGaugeRows(metrics, axis, result.stateChanges, neverServed(result)),
          axis,
          faults,
          warmup,
        }),
      ),
    instances: instancesChart(instanceRows(result)),
    services:
      metrics &&
      marked(
        servicesChart({
          latency: serviceLatencyRows(metrics, axis),
          gauges: serviceGaugeRows(metrics, axis, podServing(result.stateChanges)),
          axis,
          faults,
          warmup,
        }),
      ),
    instanceSpread:
      metrics &&
      marked(
        instanceSpreadChart({
          spreads: instanceSpreads(metrics, axis, podServing(result.stateChanges)),
          axis,
          faults,
          warmup,
        }),
      ),
    saturation:
      metrics && loadChanges(metrics) ? saturationChart(saturationRows(result, metrics)) : null,
    alerts:
      alerts === null || alertSpans.length === 0
        ? null
        : marked(
            alertsChart({
              intervals: alertSpans,
              axis,
              faults,
              warmup,
              rules: alerts.rules.length,
            }),
          ),
    criticalPath: path === null || path.length === 0 ? null : criticalPathChart(path),
  };
}

/** The control plane's charts; each null when the result lacks its section (or, for security, nothing was stopped). */
export interface ControlPlaneCharts {
  pods: Chart | null;
  staleness: Chart | null;
  configVersions: Chart | null;
  security: Chart | null;
}

export function controlPlaneCharts(result: RunResult): ControlPlaneCharts {
  const axis = timeAxis(result.simulatedMs);
  const faults = faultBands(result, axis);
  const warmup = warmupBand(warmupMsOf(result), axis);
  const { simulatedMs } = result;
  const recovery = recoveryOf(result);
  const discovery = discoveryOf(result);
  const metrics = metricsOf(result);
  const config = configOf(result);
  const security = securityOf(result);
  const events = scenarioEvents(result, axis);
  // The pods chart draws the HPA's decisions, the config chart the pushes, each its own way.
  return {
    pods:
      recovery &&
      withEvents(podsChart({ recovery, simulatedMs, axis, faults, warmup }), events, axis, [
        "HPA decision",
      ]),
    staleness:
      discovery &&
      metrics &&
      withEvents(stalenessChart({ discovery, metrics, axis, faults, warmup }), events, axis),
    configVersions:
      config &&
      withEvents(configVersionsChart({ config, simulatedMs, axis }), events, axis, ["config push"]),
    security: security && securityChart(security),
  };
}
