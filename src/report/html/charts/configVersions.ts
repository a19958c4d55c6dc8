// Chart: a config push rolling out, as Istio's `istioctl proxy-status` would show it sampled
// continuously: per config version, the share of proxies running it over time (stacked steps, so
// the versions add up to every proxy), with each push's publish time marked. From the result's
// `config.proxies` records ([{ version, fromMs }] per proxy). No fault or warm-up bands: the
// stacked shares fill the plot and would hide them.
import type { ConfigResult } from "../../../result/config.ts";
import type { TimeAxis } from "../data/chartRows.ts";
import { type Chart, CONFIG, msText, timeX, WIDTH } from "./common.ts";

/** The share of all proxies running one version from `t` until the next row of that version. */
export interface VersionShareRow {
  t: number;
  version: string;
  /** For the stack: version 1 at the bottom. */
  order: number;
  share: number;
}

export function versionName(config: ConfigResult, version: number): string {
  const v = config.versions.find((x) => x.version === version);
  return v === undefined ? `v${version}` : `v${version} ${v.name}`;
}

/**
 * A sweep over every proxy's version changes in time order: after all changes at one instant, a row
 * per version with its share of the proxies (a proxy with no record yet counts for none), and the
 * last shares again at the end of the run so the steps reach it.
 */
export function versionShareRows(
  config: ConfigResult,
  simulatedMs: number,
  axis: TimeAxis,
): VersionShareRow[] {
  const proxies = Object.values(config.proxies);
  if (proxies.length === 0) return [];
  const versions = config.versions.map((v) => v.version);
  const changes: { atMs: number; from: number | null; to: number }[] = [];
  for (const records of proxies)
    records.forEach((r, i) => {
      changes.push({
        atMs: r.fromMs,
        from: i === 0 ? null : records[i - 1].version,
        to: r.version,
      });
    });
  changes.sort((a, b) => a.atMs - b.atMs);
  const running = new Map<number, number>(versions.map((v) => [v, 0]));
  const rows: VersionShareRow[] = [];
  const emit = (atMs: number) =>
    versions.forEach((v, order) => {
      rows.push({
        t: atMs / axis.msPerUnit,
        version: versionName(config, v),
        order,
        share: running.get(v)! / proxies.length,
      });
    });
  changes.forEach((c, i) => {
    if (c.from !== null) running.set(c.from, running.get(c.from)! - 1);
    running.set(c.to, (running.get(c.to) ?? 0) + 1);
    if (i + 1 === changes.length || changes[i + 1].atMs !== c.atMs) emit(c.atMs);
  });
  if (changes[changes.length - 1].atMs < simulatedMs) emit(simulatedMs);
  return rows;
}

export interface ConfigVersionsChartInput {
  config: ConfigResult;
  simulatedMs: number;
  axis: TimeAxis;
}

export function configVersionsChart({
  config,
  simulatedMs,
  axis,
}: ConfigVersionsChartInput): Chart | null {
  const rows = versionShareRows(config, simulatedMs, axis);
  if (rows.length === 0) return null;
  const names = config.versions.map((v) => versionName(config, v.version));
  const pushes = config.versions
    .filter((v) => v.version > 1)
    .map((v) => ({
      t: v.atMs / axis.msPerUnit,
      label: `${versionName(config, v.version)} published`,
    }));
  return {
    id: "config-versions",
    title: "Config versions rolling out to the proxies",
    explanation: explain(config),
    spec: {
      config: CONFIG,
      title: "Share of proxies running each config version",
      width: WIDTH,
      height: 180,
      layer: [
        {
          data: { values: rows },
          mark: { type: "area", interpolate: "step-after", opacity: 0.85 },
          encoding: {
            x: timeX(axis),
            y: {
              field: "share",
              type: "quantitative",
              title: "share of proxies",
              stack: "zero",
              scale: { domain: [0, 1] },
              axis: { format: ".0%" },
            },
            color: {
              field: "version",
              type: "nominal",
              title: "config version",
              scale: { scheme: "tableau10", domain: names },
              sort: names,
            },
            order: { field: "order", type: "quantitative" },
          },
        },
        ...(pushes.length === 0
          ? []
          : [
              {
                data: { values: pushes },
                mark: { type: "rule" as const, color: "#222222", strokeDash: [3, 3] },
                encoding: { x: timeX(axis) },
              },
              {
                data: { values: pushes },
                mark: {
                  type: "text" as const,
                  align: "left" as const,
                  baseline: "top" as const,
                  dx: 3,
                  y: 3,
                  fontSize: 10,
                  color: "#222222",
                },
                encoding: { x: timeX(axis), text: { field: "label" } },
              },
            ]),
      ],
    },
  };
}

function explain(config: ConfigResult): string {
  const proxies = Object.keys(config.proxies).length;
  const parts = [
    `Every mesh setting is versioned: version 1 is the scenario file and each config push makes the next. A push reaches each of the ${proxies} proxies after its own propagation delay (after the debounce, and stage by stage when the push is staged), so for a while proxies run different versions and treat the same traffic differently.`,
    "Each colour is one version's share of the proxies; a dashed line marks when a push was published.",
  ];
  for (const v of config.versions.filter((x) => x.version > 1)) {
    const name = versionName(config, v.version);
    if (v.firstMs === null || v.lastMs === null)
      parts.push(`${name} reached no proxy before the run ended.`);
    else if (v.delivered < proxies)
      parts.push(
        `${name} reached the first proxy ${msText(v.firstMs - v.atMs)} after it was published, and ${v.delivered} of ${proxies} by the end of the run.`,
      );
    else
      parts.push(
        `${name} reached the first proxy ${msText(v.firstMs - v.atMs)} after it was published and the last ${msText(v.lastMs - v.atMs)} after.`,
      );
  }
  return parts.join(" ");
}
