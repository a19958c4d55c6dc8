// The fault verbs on meshsim's model: instances die, fail and slow down; inbound rules delay and
// abort calls at instances, edge rules at the caller's proxy; partitions cut the network. Each
// lasting verb returns its exact undo. Instance deaths and restarts are state changes of the run,
// recorded from the instance's lifecycle before and after each verb, so overlapping kills and
// failures show only the changes they make (a kill of a failed instance is failed -> dead).

import type { KeyedDraws } from "../kernel/keyedDraws.ts";
import type { Scheduler } from "../kernel/scheduler.ts";
import type { FaultRules } from "../model/faultRules.ts";
import { InboundFaults } from "../model/inboundFaults.ts";
import type { Instance } from "../model/instance.ts";
import type { Network } from "../model/network.ts";
import type { ModelObserver } from "../model/observer.ts";
import type {
  AbortRule,
  DelayRule,
  FaultActuator,
  PartitionRule,
  PartitionSide,
  TrafficScope,
  Undo,
} from "./actuator.ts";

export class ModelActuator implements FaultActuator<Instance> {
  /** Each rule gets its own salt, so two rules on one call draw independently. */
  private nextSalt = 0x0fa17;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly draws: KeyedDraws,
    private readonly network: Network,
    private readonly observer: ModelObserver,
  ) {}

  /** What to call when a killed instance starts again by another hand, by instance (one listener each). */
  private readonly revivals = new Map<Instance, () => void>();
  /** The inbound rules this actuator gave each instance (made on first use; the instance holds them too). */
  private readonly inbound = new Map<Instance, InboundFaults>();

  kill(instance: Instance, revived?: () => void): void {
    this.changing(instance, () => instance.kill());
    if (revived === undefined) return;
    if (!this.revivals.has(instance)) {
      instance.addLifecycleListener({
        phaseChanged: (_subject, from) => {
          if (from === "stopped") this.revivals.get(instance)?.();
        },
        reachabilityChanged: () => {},
      });
    }
    this.revivals.set(instance, revived);
  }

  restart(instance: Instance): void {
    this.changing(instance, () => instance.restart());
  }

  fail(instance: Instance): Undo {
    const undo = this.changing(instance, () => instance.fail());
    return () => this.changing(instance, undo);
  }

  /** Applies a verb to an instance and records its lifecycle change, if it made one. */
  private changing<T>(instance: Instance, verb: () => T): T {
    const from = instance.processState;
    const result = verb();
    const to = instance.processState;
    if (to !== from)
      this.observer.stateChanged(this.scheduler.now, `instance ${instance.id}`, from, to);
    return result;
  }

  stress(instance: Instance, factor: number): Undo {
    return instance.stressBy(factor);
  }

  delay(rule: DelayRule<Instance>): Undo {
    const entry = { delay: rule.delay, percentage: rule.percentage, salt: this.nextSalt++ };
    return this.onEach(rule.scope, (rules) => rules.delays, entry);
  }

  abort(rule: AbortRule<Instance>): Undo {
    const entry = {
      httpStatus: rule.httpStatus,
      percentage: rule.percentage,
      salt: this.nextSalt++,
    };
    return this.onEach(rule.scope, (rules) => rules.aborts, entry);
  }

  partition(rule: PartitionRule<Instance>): Undo {
    return this.network.partition(
      toSet(rule.sideA),
      rule.sideB === null ? null : toSet(rule.sideB),
    );
  }

  /** Adds `entry` to the list `listOf` picks from each place in scope; the undo removes it again. */
  private onEach<T>(
    scope: TrafficScope<Instance>,
    listOf: (rules: FaultRules) => T[],
    entry: T,
  ): Undo {
    const places: FaultRules[] =
      scope.kind === "edge"
        ? [this.network.edgeRulesFor(scope.from, scope.to)]
        : scope.instances.map((i) => this.inboundOf(i));
    for (const rules of places) listOf(rules).push(entry);
    return () => {
      for (const rules of places) {
        const list = listOf(rules);
        const i = list.indexOf(entry);
        if (i >= 0) list.splice(i, 1);
      }
    };
  }

  private inboundOf(instance: Instance): InboundFaults {
    let rules = this.inbound.get(instance);
    if (rules === undefined) {
      rules = new InboundFaults(this.draws, this.scheduler);
      this.inbound.set(instance, rules);
      instance.faults = rules;
    }
    return rules;
  }
}

function toSet(side: PartitionSide<Instance>): {
  zones: ReadonlySet<string>;
  instances: ReadonlySet<Instance>;
} {
  return { zones: new Set(side.zones), instances: new Set(side.instances) };
}
