/**
 * What the fast path did in this process, for the `roster_fast_path_uses` gauge (observability/metrics.ts):
 * plain increments on the hot path, read when Prometheus scrapes. With GRAPHQL_FAST_PATH=off every
 * figure stays 0; with it on, a figure stuck at 0 is a trick that no longer applies (plainFields: Nest's
 * field reader no longer recognised, see plain-fields.ts).
 */
export const fastPathUses = {
  /** GraphQL POSTs served straight from Node's HTTP server (graphql-http.ts). */
  directHttp: 0,
  /** Operations executed by their compiled code (compiled-execution.ts). */
  compiled: 0,
  /** Answers written by their selection's serializer (result-json.ts). */
  resultJson: 0,
  /** Argument objects accepted without class-validator's run (validation-rules.ts). */
  validationShortcut: 0,
  /** Fields read directly, their Nest resolver removed when the schema was built (plain-fields.ts). */
  plainFields: 0,
  /** Media types answered from what an earlier request with the same Accept header got (negotiation.ts). */
  negotiation: 0,
  /** Query texts whose hash was remembered from an earlier request with the same text (query-hash.ts). */
  queryHash: 0,
};

export type FastPathTrick = keyof typeof fastPathUses;
