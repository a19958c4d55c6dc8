// How a registry kind (preset) appears in a scenario file: a strict map `{ kind: <name>, ... }`,
// every field optional and named after the real parameter in camelCase with the unit dropped
// (Eureka `leaseRenewalIntervalInSeconds` → `leaseRenewalInterval: 30s`); the kind's conversion
// fills what is left out with its real system's defaults (scenario/defaults.ts).
import { z } from "zod";
import type { RegistryKind, RegistrySpec } from "../../../control/registry/presets.ts";
import { duration, expecting, fields } from "../leaves.ts";

export type SpecOf<K extends RegistryKind> = Extract<RegistrySpec, { kind: K }>;

/** A kind's file format: its schema, and its conversion to the kind's spec. */
export interface KindFormat<K extends RegistryKind, Raw> {
  readonly schema: z.ZodType<Raw, unknown>;
  toSpec(raw: Raw): SpecOf<K>;
}

/** The strict map of `registryKind`: `shape` beside `kind`. */
export function kindShape<K extends RegistryKind, S extends z.core.$ZodLooseShape>(
  registryKind: K,
  shape: S,
) {
  return fields(`a ${registryKind} registry`, { kind: z.literal(registryKind), ...shape });
}

export const flag = (what: string) => z.boolean({ error: expecting(`true or false (${what})`) });

export const fraction = (what: string) =>
  z
    .number({ error: expecting(what) })
    .min(0)
    .max(1);

export const pushDelay = duration("nonnegative")
  .optional()
  .describe(
    "meshsim's: a pushed change reaches each proxy after U[0, pushDelay) (network, client, sidecar); default 100ms.",
  );
