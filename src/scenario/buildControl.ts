// The control plane of a built world, installed after the loads: the registry and health checks
// (before recovery, which gives proxies without a registry client instant discovery), the fault
// timeline, mesh security, config pushes, and pods over time (supervisor, autoscalers, rollouts).
import { ConfigCenter, type PolicyMaker } from "../control/config/center.ts";
import { installRecovery, type Recovery } from "../control/recovery/install.ts";
import { ControlPlane } from "../control/registry/controlPlane.ts";
import type { ConfigPushSpec } from "../control/spec.ts";
import { ModelActuator } from "../faults/modelActuator.ts";
import type { FaultRecord } from "../faults/spec.ts";
import { scheduleFaults } from "../faults/timeline.ts";
import type { RandomStreams } from "../kernel/random.ts";
import { installSecurity, type MeshSecurity } from "../mesh/security/meshSecurity.ts";
import type { Sidecar } from "../mesh/sidecar.ts";
import type { UpstreamPolicy } from "../mesh/upstream.ts";
import type { SimContext } from "../model/context.ts";
import type { Service } from "../model/service.ts";
import { rolloutsOf } from "./buildServices.ts";
import type { Scenario } from "./types.ts";

export interface Control {
  readonly discovery: ControlPlane | null;
  readonly faults: FaultRecord[];
  readonly security: MeshSecurity | null;
  readonly config: ConfigCenter | null;
  readonly recovery: Recovery | null;
}

export interface ControlInputs {
  readonly services: Service[];
  readonly proxies: Sidecar[];
  readonly policies: UpstreamPolicy[];
  readonly policyOf: PolicyMaker;
  readonly streams: RandomStreams;
}

/** Installs each control-plane part the scenario has, in the order their events must be scheduled. */
export function installControl(
  scenario: Scenario,
  ctx: SimContext,
  inputs: ControlInputs,
): Control {
  const { services, proxies, policies, policyOf, streams } = inputs;
  const { scheduler, observer } = ctx;
  const record = (atMs: number, component: string, from: string, to: string) =>
    observer.stateChanged(atMs, component, from, to);
  const discovery = ControlPlane.install(
    scenario.registry,
    scenario.services.map((s) => s.trafficPolicy),
    {
      scheduler,
      streams,
      record,
      services,
      proxies,
    },
  );
  const actuator = new ModelActuator(scheduler, ctx.draws, ctx.network, observer);
  const faults = scheduleFaults(scenario.faults, {
    services,
    scheduler,
    streams,
    actuator,
    registry: discovery,
  });
  const security =
    scenario.security === null
      ? null
      : installSecurity(
          scenario.security,
          services,
          scenario.load.map((l) => l.name),
          ctx,
        );
  const pushes = scenario.changes.filter((c): c is ConfigPushSpec => c.kind === "config-push");
  const config =
    pushes.length === 0
      ? null
      : new ConfigCenter(
          pushes,
          { trafficPolicies: scenario.services.map((s) => s.trafficPolicy), policies },
          policyOf,
          {
            scheduler,
            streams,
            observer,
            proxies,
            services,
          },
        );
  const deployments = scenario.services.map(({ lifecycle, autoscaling }) => ({
    lifecycle,
    autoscaling,
  }));
  const recovery = installRecovery(services, deployments, rolloutsOf(scenario), {
    scheduler,
    observer,
    proxies,
  });
  return { discovery, faults, security, config, recovery };
}
