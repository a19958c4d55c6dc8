// Gives each TCC operation its coordinator, and each participant's three operations their fence
// (after their own effects are hooked in, which the fence wraps).
import type { Operation } from "../../model/operation.ts";
import type { Service } from "../../model/service.ts";
import { TccCoordinator, type TccParticipant } from "./coordinator.ts";
import { type TccCounts, TccFence } from "./fence.ts";
import type { TccSpec } from "./spec.ts";

export function attachTcc(
  specs: readonly TccSpec[],
  services: readonly Service[],
  counts: TccCounts,
): TccCoordinator[] {
  const operationOf = (id: string): Operation => {
    const dot = id.indexOf(".");
    const service = services.find((s) => s.name === id.slice(0, dot));
    if (service === undefined) throw new Error(`a TCC participant names unknown service in ${id}`);
    return service.operation(id.slice(dot + 1));
  };
  return specs.map((spec) => {
    const participants: TccParticipant[] = spec.participants.map((p) => {
      const ops = {
        try: operationOf(p.try),
        confirm: operationOf(p.confirm),
        cancel: operationOf(p.cancel),
      };
      const fence = new TccFence(spec.safeguards, counts);
      for (const phase of ["try", "confirm", "cancel"] as const)
        ops[phase].effects = fence.hook(phase, ops[phase].effects);
      return ops;
    });
    const coordinator = new TccCoordinator(spec, participants, counts);
    operationOf(`${spec.service}.${spec.operation}`).saga = coordinator;
    return coordinator;
  });
}
