// Istio PeerAuthentication modes and auto mTLS: how a connection from a caller to a workload is
// made. A workload accepts mTLS and plaintext (PERMISSIVE, Istio's default), only mTLS (STRICT), or
// only plaintext (DISABLE). The caller's sidecar sends mTLS to every workload that accepts it (Istio
// auto mTLS, which reads the destination's PeerAuthentication) and plaintext to DISABLE ones; a
// caller without a sidecar can only send plaintext. A STRICT workload's sidecar closes a plaintext
// connection: a caller behind Envoy gets 503 `upstream connect error or disconnect/reset before
// headers. reset reason: connection termination` (flag UC), a caller without a sidecar sees
// "connection reset by peer"; meshsim ends the try as a connect failure (503). Left out: UNSET
// inheritance chains (a service's mode is its own override or the mesh's), portLevelMtls, and
// DestinationRule `tls` settings that would override auto mTLS.

import type { MtlsMode } from "../../result/security.ts";

export type { MtlsMode } from "../../result/security.ts";

export const MTLS_MODES = [
  "STRICT",
  "PERMISSIVE",
  "DISABLE",
] as const satisfies readonly MtlsMode[];

/** What a caller's connection to a workload carries. */
export const Channel = {
  /** Mutual TLS: the peer's principal is known to authorization. */
  mtls: 0,
  /** Plaintext, accepted: no principal. */
  plaintext: 1,
  /** Plaintext to a STRICT workload: the connection is closed (503). */
  refused: 2,
} as const;
export type ChannelCode = (typeof Channel)[keyof typeof Channel];

/** The connection a caller (with or without a sidecar) makes to a workload in `mode`. */
export function channelOf(callerHasSidecar: boolean, mode: MtlsMode): ChannelCode {
  if (callerHasSidecar && mode !== "DISABLE") return Channel.mtls;
  return mode === "STRICT" ? Channel.refused : Channel.plaintext;
}
