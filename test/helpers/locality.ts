// Shared by the cluster tests in test/mesh/: Istio's default localityLbSetting as one proxy's
// cluster sees it (priorities from region/zone/subzone, Envoy's overprovisioning factor 1.4, no
// failover or distribute rules), for a proxy at `region/zone[/subzone]`, with fields overridden.
import type { ClusterLocality } from "../../src/mesh/cluster.ts";

export function localitySetting(
  proxy: string,
  over: Partial<ClusterLocality> = {},
): ClusterLocality {
  const [region, zone, subzone = ""] = proxy.split("/");
  return {
    proxy: { region, zone, subzone },
    labels: {},
    overprovisioningPercent: 140,
    priorities: true,
    failover: [],
    failoverPriority: [],
    distribute: [],
    ...over,
  };
}
