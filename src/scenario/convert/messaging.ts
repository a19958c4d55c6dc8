// The `messaging` section → the MessagingSpec (src/transactions/messaging/), or null without one.
// Checks what the schema cannot: each publisher and consumer names a topic of messaging.topics and
// an operation that exists, no consumer group is listed twice, and the broker's zone is a zone
// some service runs in.
import type {
  ConsumerSpec,
  MessagingSpec,
  PublisherSpec,
} from "../../transactions/messaging/spec.ts";
import type { ScenarioFile } from "../schema/scenario.ts";
import type { Conversion } from "./context.ts";

export function messagingOf(file: ScenarioFile, cx: Conversion): MessagingSpec | null {
  const raw = file.messaging;
  if (raw === undefined) return null;
  const topics = cx.ordered(raw.topics, ["messaging", "topics"]).map(([name, t]) => ({
    name,
    deliveryDelay: t.deliveryDelay,
    ackTimeoutMs: t.ackTimeout,
    maxDeliveries: t.maxDeliveries,
  }));
  const topicNames = topics.map((t) => t.name);
  const check = (list: "publishers" | "consumers", i: number, ref: string, topic: string) => {
    const path = ["messaging", list, i];
    if (!topicNames.includes(topic))
      cx.findings.push({
        path: [...path, "topic"],
        at: "value",
        message:
          `names topic ${JSON.stringify(topic)}, which messaging.topics does not declare; expected ` +
          (topicNames.length > 0 ? `one of: ${topicNames.join(", ")}` : "a topic declared there"),
      });
    const [service, operation] = splitRef(ref);
    const ops = file.services[service]?.operations;
    if (ops === undefined || ops[operation] === undefined)
      cx.findings.push({
        path: [...path, "operation"],
        at: "value",
        message: `names ${ref}, which does not exist; expected an operation of services, as service.operation`,
      });
    return { service, operation, topic };
  };
  const publishers: PublisherSpec[] = raw.publishers.map((p, i) => ({
    ...check("publishers", i, p.operation, p.topic),
    outbox: p.outbox ?? raw.outbox.enabled,
  }));
  const consumers: ConsumerSpec[] = raw.consumers.map((c, i) => ({
    ...check("consumers", i, c.operation, c.topic),
    dedup: c.dedup ?? raw.dedup.enabled,
  }));
  consumers.forEach((c, i) => {
    if (
      consumers.findIndex(
        (o) => o.operation === c.operation && o.service === c.service && o.topic === c.topic,
      ) < i
    )
      cx.findings.push({
        path: ["messaging", "consumers", i],
        at: "value",
        message: `lists ${c.service}.${c.operation} on topic ${c.topic} a second time; expected each consumer group once`,
      });
  });
  zoneCheck(file, raw.zone, cx);
  return {
    zone: raw.zone ?? null,
    publishLatency: raw.publishLatency,
    reconnectIntervalMs: raw.reconnectInterval,
    relayIntervalMs: raw.outbox.pollInterval,
    dedupRetentionMs: raw.dedup.retention,
    topics,
    publishers,
    consumers,
  };
}

function splitRef(ref: string): [string, string] {
  const dot = ref.indexOf(".");
  return [ref.slice(0, dot), ref.slice(dot + 1)];
}

function zoneCheck(file: ScenarioFile, zone: string | undefined, cx: Conversion): void {
  if (zone === undefined) return;
  const zones = new Set(Object.values(file.services).flatMap((s) => s.zones ?? []));
  if (zones.has(zone)) return;
  cx.findings.push({
    path: ["messaging", "zone"],
    at: "value",
    message:
      `names zone ${JSON.stringify(zone)}, where no service runs; expected ` +
      (zones.size > 0
        ? `one of: ${[...zones].sort().join(", ")}`
        : "no zone (no service has zones)"),
  });
}
