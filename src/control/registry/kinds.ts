// The registry kinds (presets) by name: one registration line per kind, checked against
// RegistrySpec (presets.ts) so that every kind has a model and every model its spec. A kind's
// model lives in its own file (eureka.ts, ..., zookeeper.ts); its file format in src/scenario/schema/registry/.
import { consul } from "./consul.ts";
import { eureka } from "./eureka.ts";
import { kubernetes } from "./kubernetes.ts";
import { nacos } from "./nacos.ts";
import type { RegistryKind, RegistrySpec } from "./presets.ts";
import type { RegistryKindModel } from "./server.ts";
import { zookeeper } from "./zookeeper.ts";

/** Every kind, in the order messages list them. */
const KINDS = { eureka, nacos, consul, kubernetes, zookeeper } satisfies {
  [K in RegistryKind]: RegistryKindModel<Extract<RegistrySpec, { kind: K }>>;
};

export const REGISTRY_KINDS = Object.keys(KINDS) as RegistryKind[];

/** The model of the spec's kind. */
export function kindOf(spec: RegistrySpec): RegistryKindModel<RegistrySpec> {
  return KINDS[spec.kind] as RegistryKindModel<RegistrySpec>;
}
