// Gives each saga operation its orchestrator: its call steps (as the model resolved them, depth
// first in file order) zipped with the compensations the scenario names for them.
import type { Operation, Step } from "../../model/operation.ts";
import type { Service } from "../../model/service.ts";
import type { SagaCounts } from "./counts.ts";
import { SagaOrchestrator } from "./orchestrator.ts";
import type { SagaSpec } from "./spec.ts";

export function attachSagas(
  specs: readonly SagaSpec[],
  services: readonly Service[],
  counts: SagaCounts,
): void {
  const operationOf = (id: string): Operation => {
    const dot = id.indexOf(".");
    const service = services.find((s) => s.name === id.slice(0, dot));
    if (service === undefined) throw new Error(`a saga names unknown service in ${id}`);
    return service.operation(id.slice(dot + 1));
  };
  for (const spec of specs) {
    const operation = operationOf(`${spec.service}.${spec.operation}`);
    const calls = callSteps(operation.steps);
    if (calls.length !== spec.compensations.length)
      throw new Error(
        `saga ${operation.id}: ${calls.length} call steps, ${spec.compensations.length} compensations`,
      );
    const compensations = new Map<Step, Operation>();
    calls.forEach((step, i) => {
      const id = spec.compensations[i];
      if (id !== null) compensations.set(step, operationOf(id));
    });
    operation.saga = new SagaOrchestrator(spec, compensations, operation.steps, counts);
  }
}

/** The call steps of a call graph, depth first in file order. */
function callSteps(steps: readonly Step[], into: Step[] = []): Step[] {
  for (const step of steps) {
    if (step.kind === "call") into.push(step);
    else callSteps(step.steps, into);
  }
  return into;
}
