// The `registry` root field (optional: absent, every proxy always knows the true set): one format
// per kind (its own file here), one registration line each, checked against the control plane's
// kinds (src/control/registry/kinds.ts) so the two cannot disagree. Discriminated by `kind`.
// Built when a file has this section or kind (../deferred.ts), so other files never pay for it.
import { z } from "zod";
import { REGISTRY_KINDS } from "../../../control/registry/kinds.ts";
import type { RegistryKind, RegistrySpec } from "../../../control/registry/presets.ts";
import { deferred } from "../deferred.ts";
import { taggedUnionError } from "../leaves.ts";
import { consul } from "./consul.ts";
import { eureka } from "./eureka.ts";
import type { KindFormat } from "./format.ts";
import { kubernetes } from "./kubernetes.ts";
import { nacos } from "./nacos.ts";
import { zookeeper } from "./zookeeper.ts";

const FORMATS = { eureka, nacos, consul, kubernetes, zookeeper } satisfies {
  [K in RegistryKind]: KindFormat<K, unknown>;
};

type Schemas = (typeof FORMATS)[RegistryKind]["schema"];

const KIND_WHAT = `a registry kind, one of ${REGISTRY_KINDS.join(", ")}`;

/**
 * The `registry` root field: absent = no registry (every proxy always knows the true set). Built
 * when a file has one (../deferred.ts).
 */
export const registrySchema = deferred(() =>
  z
    .discriminatedUnion(
      "kind",
      REGISTRY_KINDS.map((kind) => FORMATS[kind].schema) as [Schemas, ...Schemas[]],
      {
        error: taggedUnionError(
          "kind",
          "a registry (a map with kind, e.g. { kind: eureka })",
          KIND_WHAT,
        ),
      },
    )
    .describe(
      "Service discovery: each proxy's own lagged view of the endpoints (Eureka, Nacos, Consul, Kubernetes + Istio, ZooKeeper + Curator).",
    ),
);

export type RawRegistry = z.output<typeof registrySchema>;

/** The section with every default of its kind filled in. */
export function toRegistry(raw: RawRegistry): RegistrySpec {
  const format = FORMATS[raw.kind] as KindFormat<RegistryKind, RawRegistry>;
  return format.toSpec(raw);
}
