// An instance's life (src/model/instanceLife.ts): the phase moves only through the transition
// table, reachability is derived from the process, the app and pod-failures in one place, and
// listeners hear each change after it happened.
import { describe, expect, it } from "vitest";
import { InstanceLife, type LifeListener, type Phase } from "../../src/model/instanceLife.ts";

function recorded() {
  const heard: string[] = [];
  const life = new InstanceLife("svc-0", "svc-0");
  const listener: LifeListener<string> = {
    phaseChanged: (subject, from, to, graceful) =>
      heard.push(
        `${subject} ${from}->${to}${graceful ? "" : " (kill)"} reachable=${life.reachable}`,
      ),
    reachabilityChanged: (subject) => heard.push(`${subject} reachable=${life.reachable}`),
  };
  life.addListener(listener);
  return { life, heard };
}

describe("an instance's life", () => {
  it("starts ready and reachable, and a kill then a restart go stopped, starting, ready", () => {
    const { life, heard } = recorded();
    expect([life.phase, life.reachable, life.processState]).toEqual(["ready", true, "running"]);
    life.kill();
    expect([life.phase, life.reachable, life.processState]).toEqual(["stopped", false, "dead"]);
    life.restart();
    expect(heard).toEqual([
      "svc-0 ready->stopped (kill) reachable=false",
      "svc-0 reachable=false",
      "svc-0 stopped->starting reachable=true",
      "svc-0 starting->ready reachable=true",
      "svc-0 reachable=true",
    ]);
  });

  it("derives reachability: a pod-failure during startup keeps a ready pod unreachable until every failure is undone", () => {
    const { life } = recorded();
    life.park();
    life.boot();
    const first = life.fail();
    const second = life.fail();
    life.becomeReady();
    expect([life.phase, life.reachable, life.processState]).toEqual(["ready", false, "failed"]);
    expect(life.passesReadiness).toBe(false);
    first();
    first(); // an undo counts once
    expect(life.reachable).toBe(false);
    second();
    expect([life.reachable, life.canHeartbeat, life.processState]).toEqual([true, true, "running"]);
  });

  it("moves only through the transition table: parking twice, or draining a starting pod, is refused", () => {
    const { life } = recorded();
    life.park();
    expect(() => life.park()).toThrow(/cannot go from stopped to stopped/);
    life.boot();
    expect(() => life.beginDraining()).toThrow(/from starting it may go to ready or stopped/);
    const phase: Phase = life.phase;
    expect(phase).toBe("starting");
  });

  it("stops being reachable when the app stops listening, before the pod is gone", () => {
    const { life, heard } = recorded();
    life.beginDraining();
    life.stopListening();
    expect([life.phase, life.reachable, life.processState]).toEqual(["draining", false, "running"]);
    life.terminate();
    expect(heard).toEqual([
      "svc-0 ready->draining reachable=true",
      "svc-0 reachable=false",
      "svc-0 draining->stopped reachable=false",
    ]);
  });
});
