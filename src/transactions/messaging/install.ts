// Wires a scenario's messaging into a world being built: the broker and its consumer groups, the
// publishing side (outbox relay, sends after commit), and a hook on every operation that publishes
// or consumes (hook.ts), wrapped around the effects hook transactions/install.ts gave it. Also
// summarises it all as the result's `transactions.messaging`.
import type { SimContext } from "../../model/context.ts";
import type { Service } from "../../model/service.ts";
import type { MessagingResult } from "../../result/transactions.ts";
import { Broker } from "./broker.ts";
import { MessagingHook } from "./hook.ts";
import { Publishing } from "./publisher.ts";
import type { MessagingSpec } from "./spec.ts";

export class Messaging {
  readonly broker: Broker;
  readonly publishing: Publishing;

  constructor(
    private readonly spec: MessagingSpec,
    services: readonly Service[],
    ctx: SimContext,
  ) {
    this.broker = new Broker(spec, services, ctx);
    this.publishing = new Publishing(
      this.broker,
      spec.topics.length,
      spec.publishLatency,
      spec.relayIntervalMs,
      ctx,
    );
    const touched = new Map<string, { topic: number; outbox: boolean }[]>();
    for (const c of spec.consumers) touched.set(`${c.service}.${c.operation}`, []);
    for (const p of spec.publishers) {
      const id = `${p.service}.${p.operation}`;
      const list = touched.get(id) ?? [];
      list.push({ topic: this.broker.topicIndex(p.topic), outbox: p.outbox });
      touched.set(id, list);
      for (const instance of services.find((s) => s.name === p.service)!.instances)
        this.publishing.watch(instance);
    }
    for (const service of services)
      for (const operation of service.operations) {
        const publishes = touched.get(operation.id);
        if (publishes === undefined) continue;
        operation.effects = new MessagingHook(operation.effects, publishes, this.publishing);
      }
  }

  /** Events lost between a producer's commit and the broker, over topics. */
  get lostEvents(): number {
    return this.publishing.counts.reduce((n, t) => n + t.lost, 0);
  }

  result(): MessagingResult {
    const topics = this.spec.topics.map((t, i) => ({
      topic: t.name,
      ...this.publishing.counts[i],
    }));
    const consumers = this.broker.groups.map((g) => ({
      consumer: `${g.spec.service}.${g.spec.operation}`,
      topic: g.spec.topic,
      dedup: g.dedup !== null,
      ...g.counts,
      inFlight: g.live.size,
      duplicatesAbsorbed: g.dedup === null ? 0 : g.dedup.absorbed,
    }));
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    return {
      published: sum(topics.map((t) => t.published)),
      lostEvents: sum(topics.map((t) => t.lost)),
      redeliveries: sum(consumers.map((c) => c.redeliveries)),
      duplicatesAbsorbed: sum(consumers.map((c) => c.duplicatesAbsorbed)),
      deadLettered: sum(consumers.map((c) => c.deadLettered)),
      topics,
      consumers,
    };
  }
}
