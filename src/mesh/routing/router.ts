// Istio VirtualService routing for one upstream service: HTTP routes in order, the first whose
// match holds wins (a list of matches is OR, the attributes within one match are AND; no match
// list matches everything); the route's destinations split requests by weight (percent). A
// destination names a DestinationRule subset, or the whole service. No route matching answers
// 404 at the caller's sidecar, as Envoy does (NR). The weighted draw is keyed by the request and
// call site, so variants of a comparison split the same requests the same way.
import { type KeyedDraws, Purpose } from "../../kernel/keyedDraws.ts";
import type { EndUserRequest } from "../../model/request.ts";
import type { RouteSpec, SubsetSpec } from "../spec.ts";

/** What `route` returns when no route matches. */
export const NO_ROUTE = -2;
/** What `route` returns for "all instances of the service" (no subset). */
export const ALL_INSTANCES = -1;

interface CompiledRoute {
  /** Each match as (attribute index, value) pairs; empty list = matches every request. */
  matches: { attribute: number; value: string }[][];
  /** Subset index (or ALL_INSTANCES) per destination, with cumulative weights out of 100. */
  subsets: number[];
  cumulative: number[];
}

export class Router {
  private readonly routes: CompiledRoute[];

  constructor(
    routes: readonly RouteSpec[],
    subsets: readonly SubsetSpec[],
    /** Scenario-wide attribute names; a request's attributes are indexed the same way. */
    attributeNames: readonly string[],
  ) {
    this.routes = routes.map((route) => {
      let total = 0;
      return {
        matches: route.match.map((m) =>
          Object.entries(m).map(([name, value]) => ({
            attribute: attributeNames.indexOf(name),
            value,
          })),
        ),
        subsets: route.destinations.map((d) =>
          d.subset === null ? ALL_INSTANCES : subsets.findIndex((s) => s.name === d.subset),
        ),
        cumulative: route.destinations.map((d) => (total += d.weight)),
      };
    });
  }

  /** The subset index for this request, ALL_INSTANCES, or NO_ROUTE. */
  route(request: EndUserRequest, site: number, draws: KeyedDraws): number {
    const routes = this.routes;
    for (let r = 0; r < routes.length; r++) {
      const route = routes[r];
      if (route.matches.length > 0 && !matchesAny(route.matches, request)) continue;
      if (route.subsets.length === 1) return route.subsets[0];
      const u = draws.begin(request.seedA, request.seedB, site, Purpose.route).next() * 100;
      for (let i = 0; i < route.cumulative.length; i++)
        if (u < route.cumulative[i]) return route.subsets[i];
      return route.subsets[route.subsets.length - 1];
    }
    return NO_ROUTE;
  }
}

/** Whether any of the route's match blocks (OR) matches the request. */
function matchesAny(
  blocks: { attribute: number; value: string }[][],
  request: EndUserRequest,
): boolean {
  for (let i = 0; i < blocks.length; i++) if (matches(blocks[i], request)) return true;
  return false;
}

function matches(match: { attribute: number; value: string }[], request: EndUserRequest): boolean {
  const attributes = request.attributes;
  if (attributes === null) return match.length === 0;
  for (let i = 0; i < match.length; i++) {
    const { attribute, value } = match[i];
    if (attribute < 0 || attributes[attribute] !== value) return false;
  }
  return true;
}
