// Header-like request attributes (e.g. `tier: vip` for 10% of shoppers), drawn once per end-user
// request from its keyed draws and carried on every hop, as propagated headers are, so routing
// rules can match them anywhere in the call graph.
import { childSite, type KeyedDraws, Purpose } from "../kernel/keyedDraws.ts";
import { type EndUserRequest, ROOT_SITE } from "../model/request.ts";
import type { AttributeSpec } from "./spec.ts";

export class AttributeDraws {
  private readonly slots: { index: number; values: string[]; cumulative: number[] }[];

  constructor(
    specs: readonly AttributeSpec[],
    /** Scenario-wide attribute names: a request's attribute array is indexed by these. */
    private readonly names: readonly string[],
  ) {
    this.slots = specs.map((spec) => {
      let total = 0;
      return {
        index: names.indexOf(spec.name),
        values: spec.values.map((v) => v.value),
        cumulative: spec.values.map((v) => (total += v.probability)),
      };
    });
  }

  draw(request: EndUserRequest, draws: KeyedDraws): (string | undefined)[] {
    const values = new Array<string | undefined>(this.names.length);
    for (const slot of this.slots) {
      const u = draws
        .begin(request.seedA, request.seedB, childSite(ROOT_SITE, slot.index), Purpose.attribute)
        .next();
      let chosen = slot.values.length - 1;
      for (let i = 0; i < slot.cumulative.length; i++) {
        if (u < slot.cumulative[i]) {
          chosen = i;
          break;
        }
      }
      values[slot.index] = slot.values[chosen];
    }
    return values;
  }
}
