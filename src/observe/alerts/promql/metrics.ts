// The sample names alert expressions may select, derived from the scraped families (catalog.ts):
// a counter's samples end in _total, a histogram's in _bucket (with `le`), _sum and _count, a gauge
// keeps its name. Each comes with its label names, as monitor.ts sets them, so the checker can
// reject a typo at load time instead of letting a selector match nothing for the whole run.
import { Families, proxyEventFamilies } from "../../metrics/catalog.ts";
import type { Family } from "../../metrics/seriesStore.ts";
import { TransactionFamilies } from "../../metrics/transactionSeries.ts";

export interface SampleInfo {
  /** The sample name, e.g. meshsim_requests_total. */
  name: string;
  family: Family;
  /** Label names of every series of this sample, in the order monitor.ts sets them. */
  labels: readonly string[];
  /** Whether the sample only ever grows (rate() and increase() apply). */
  counter: boolean;
}

const LOAD = ["load"];
const SERVICE = ["service"];
const INSTANCE = ["service", "instance"];
const EDGE = ["source", "target"];

/** Label names per family (histograms: of _sum and _count; _bucket adds `le`). */
const FAMILY_LABELS: Record<keyof typeof Families, readonly string[]> = {
  loadRequests: LOAD,
  loadCompleted: LOAD,
  loadFailed: ["load", "status"],
  loadInFlight: LOAD,
  loadDuration: LOAD,
  loadLatencyWindow: ["load", "quantile"],
  requests: INSTANCE,
  requestErrors: ["service", "status"],
  requestDuration: SERVICE,
  latencyWindow: ["service", "quantile"],
  inFlight: INSTANCE,
  queueLength: INSTANCE,
  busySeconds: INSTANCE,
  utilization: INSTANCE,
  up: INSTANCE,
  liveInstances: SERVICE,
  breakersOpen: EDGE,
  breakersHalfOpen: EDGE,
  ejectedHosts: EDGE,
  endpointsStale: EDGE,
  endpointsUnknown: EDGE,
};

function samplesOf(family: Family, labels: readonly string[]): SampleInfo[] {
  switch (family.type) {
    case "counter":
      return [{ name: `${family.name}_total`, family, labels, counter: true }];
    case "gauge":
    case "summary": // window quantiles: one sample per `quantile`, already in its labels
      return [{ name: family.name, family, labels, counter: false }];
    case "histogram":
      return [
        { name: `${family.name}_bucket`, family, labels: [...labels, "le"], counter: true },
        { name: `${family.name}_sum`, family, labels, counter: true },
        { name: `${family.name}_count`, family, labels, counter: true },
      ];
  }
}

/** The ledger's families' labels (transactionSeries.ts): run-wide, but effects by kind and outcomes. */
function transactionLabels(key: keyof typeof TransactionFamilies): readonly string[] {
  return key === "effects" ? ["kind"] : key === "sagas" || key === "tcc" ? ["outcome"] : [];
}

/** Every selectable sample, by name, in catalog order. */
export const KNOWN_SAMPLES: ReadonlyMap<string, SampleInfo> = new Map(
  [
    ...(Object.keys(FAMILY_LABELS) as (keyof typeof Families)[]).flatMap((key) =>
      samplesOf(Families[key], FAMILY_LABELS[key]),
    ),
    ...proxyEventFamilies.flatMap((family) => samplesOf(family, EDGE)),
    ...(Object.keys(TransactionFamilies) as (keyof typeof TransactionFamilies)[]).flatMap((key) =>
      samplesOf(TransactionFamilies[key], transactionLabels(key)),
    ),
  ].map((sample) => [sample.name, sample]),
);

/** Why `name` is not a sample, with the nearest fix when there is an obvious one. */
export function unknownSampleMessage(name: string): string {
  const hint = suffixHint(name);
  const listed = [...KNOWN_SAMPLES.values()]
    .filter((s) => !s.name.endsWith("_sum") && !s.name.endsWith("_count"))
    .map((s) => (s.name.endsWith("_bucket") ? `${s.family.name}_{bucket,sum,count}` : s.name));
  return `unknown metric ${JSON.stringify(name)}${hint}; metrics are: ${listed.join(", ")}`;
}

function suffixHint(name: string): string {
  if (KNOWN_SAMPLES.has(`${name}_total`))
    return ` (a counter's samples end in _total: ${name}_total)`;
  if (KNOWN_SAMPLES.has(`${name}_bucket`))
    return ` (a histogram's samples are ${name}_bucket, ${name}_sum and ${name}_count)`;
  const bare = name.replace(/_total$/, "");
  if (bare !== name && KNOWN_SAMPLES.has(bare))
    return ` (${bare} is a gauge: its samples have no _total)`;
  return "";
}
