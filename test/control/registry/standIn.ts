// What a registry server reads of an instance (its place, its phase, whether its client gets
// through), for tests that drive a server directly on a scheduler instead of building a world.
import type { Instance } from "../../../src/model/instance.ts";
import type { Phase } from "../../../src/model/instanceLife.ts";

export class StandIn {
  phase: Phase = "ready";
  reachable = true;
  constructor(
    readonly id: string,
    readonly index: number,
    readonly service: { index: number; name: string },
  ) {}
  get canHeartbeat(): boolean {
    return this.reachable && this.phase === "ready";
  }
}

export const asInstance = (s: StandIn) => s as unknown as Instance;
