/**
 * What the fast path did in this process, for the `roster_fast_path_uses` gauge (observability/metrics.ts),
 * read when Prometheus scrapes. A figure stuck at 0 is a trick that no longer applies (plainFields: Nest's
 * field reader no longer recognised, see plain-fields.ts).
 */
export const fastPathUses = {
  /** Fields read directly, their Nest resolver removed when the schema was built (plain-fields.ts). */
  plainFields: 0,
};

export type FastPathTrick = keyof typeof fastPathUses;
