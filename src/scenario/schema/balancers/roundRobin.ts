// Envoy ROUND_ROBIN in a scenario file: `{ policy: round-robin, slowStartConfig? }`; weights are
// ignored (weighted-round-robin uses them).
import { slowStartOf, slowStartSchema } from "../balancing.ts";
import { policyFormat } from "./format.ts";

export const roundRobin = policyFormat(
  "round-robin",
  () => ({ slowStartConfig: slowStartSchema.optional() }),
  (raw) => ({ slowStart: slowStartOf(raw.slowStartConfig) }),
);
