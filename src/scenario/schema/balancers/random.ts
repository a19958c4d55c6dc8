// Envoy RANDOM in a scenario file: `{ policy: random }`, nothing to set.
import { policyFormat } from "./format.ts";

export const random = policyFormat(
  "random",
  () => ({}),
  () => ({}),
);
