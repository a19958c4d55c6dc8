// No try to a host outside the caller's view (Envoy's host set, as Istio programs it over EDS): a
// proxy sends a try only to a host its cluster may pick from at that moment, that is a host its
// discovery has told it of, not ejected by outlier detection nor failing its active health checks,
// unless the cluster is in panic, where Envoy balances over every host it knows. The model reports
// each cluster's host set when it is built and at every change (`hosts` events); this checker
// holds it to them. Left out: services a config push changes (the retired cluster's set is no
// longer reported while its last tries finish).
import type { Invariant } from "../invariant.ts";
import { pushesChange } from "./components.ts";

export const hostInView: Invariant = {
  name: "host-in-view",
  watch(scenario) {
    const pushes = pushesChange(scenario);
    /** Cluster number → the hosts it may send to now. */
    const views = new Map<number, { hosts: Set<string>; panic: boolean }>();
    return {
      event(e) {
        if (pushes) return null;
        if (e.type === "hosts") {
          views.set(e.cluster, { hosts: new Set(e.hosts), panic: e.panic });
          return null;
        }
        // A bare load client (cluster -1) has no mesh view: it sends to the service's instances.
        if (e.type !== "sent" || e.cluster < 0) return null;
        const view = views.get(e.cluster);
        if (view === undefined)
          return {
            message: `${e.proxy} sent try ${e.try} to ${e.instance} from a cluster of ${e.service} whose hosts were never reported`,
            request: e.request,
          };
        if (view.hosts.has(e.instance)) return null;
        const hosts = [...view.hosts].join(", ") || "none";
        return {
          message: `${e.proxy} sent try ${e.try} to ${e.instance}, outside its view of ${e.service} (${hosts}${view.panic ? ", in panic" : ""})`,
          request: e.request,
        };
      },
    };
  },
};
