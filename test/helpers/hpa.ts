// HPA inputs for tests: Kubernetes' defaults (src/scenario/defaults.ts) under what a test sets,
// each direction's rules merged field by field as the API server merges them.
import type { HpaRulesInput, HpaSpecInput } from "../../src/control/autoscaler/hpaSpec.ts";
import { KUBERNETES_HPA } from "../../src/scenario/defaults.ts";

export type HpaTestInput = Partial<Omit<HpaSpecInput, "scaleUp" | "scaleDown">> & {
  maxReplicas: number;
  scaleUp?: Partial<HpaRulesInput>;
  scaleDown?: Partial<HpaRulesInput>;
};

export function k8s(input: HpaTestInput): HpaSpecInput {
  return {
    minReplicas: KUBERNETES_HPA.minReplicas,
    target: {
      type: "Utilization",
      averageUtilization: KUBERNETES_HPA.targetCPUUtilizationPercentage,
    },
    syncPeriodMs: KUBERNETES_HPA.syncPeriodMs,
    ...input,
    scaleUp: { ...KUBERNETES_HPA.scaleUp, ...input.scaleUp },
    scaleDown: { ...KUBERNETES_HPA.scaleDown, ...input.scaleDown },
  };
}
