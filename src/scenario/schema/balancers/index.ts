// The `loadBalancer` of a traffic policy: one format per policy (its own file here), one
// registration line each, checked against the mesh's table (src/mesh/balancers/index.ts) so the
// two cannot disagree on which policies exist. A discriminated union on `policy`.
// Built when a file has this section or kind (../deferred.ts), so other files never pay for it.
import { z } from "zod";
import { LB_POLICIES } from "../../../mesh/balancers/index.ts";
import type { LoadBalancerPolicy, LoadBalancerSpec } from "../../types.ts";
import { deferred } from "../deferred.ts";
import { taggedUnionError } from "../leaves.ts";
import type { PolicyFormat } from "./format.ts";
import { leastRequest } from "./leastRequest.ts";
import { maglev } from "./maglev.ts";
import { peakEwma } from "./peakEwma.ts";
import { random } from "./random.ts";
import { ringHash } from "./ringHash.ts";
import { roundRobin } from "./roundRobin.ts";
import { weightedRoundRobin } from "./weightedRoundRobin.ts";

const FORMATS = {
  random,
  "round-robin": roundRobin,
  "weighted-round-robin": weightedRoundRobin,
  "least-request": leastRequest,
  "peak-ewma": peakEwma,
  "ring-hash": ringHash,
  maglev,
} satisfies { [P in LoadBalancerPolicy]: PolicyFormat<P, unknown> };

type Schemas = (typeof FORMATS)[LoadBalancerPolicy]["schema"];

const LB_WHAT = `a policy, one of ${LB_POLICIES.join(", ")}`;

/** Built when a file has a `loadBalancer` (../deferred.ts); each policy's option when it is named. */
export const loadBalancerSchema = deferred(() =>
  z.discriminatedUnion(
    "policy",
    LB_POLICIES.map((policy) => FORMATS[policy].schema) as [Schemas, ...Schemas[]],
    {
      error: taggedUnionError("policy", "a load balancer (a map with policy)", LB_WHAT),
    },
  ),
);

export type RawLoadBalancer = z.output<typeof loadBalancerSchema>;

export function toLoadBalancer(raw: RawLoadBalancer): LoadBalancerSpec {
  const format = FORMATS[raw.policy] as PolicyFormat<LoadBalancerPolicy, RawLoadBalancer>;
  return format.toSpec(raw);
}
