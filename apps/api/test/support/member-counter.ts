/** Runs SQL with parameters (a test app's `sql`, or a client's `query`). */
export type RunSql = (text: string, params: unknown[]) => Promise<unknown>;

/**
 * Runs `work` while the organization's member counter (trigger-kept, the sum of its slots: what statements read as
 * its size) says `by` more than its members, then puts it back: an organization that looks large to the server.
 */
export async function whileCountedMore<T>(sql: RunSql, organizationId: string, by: number, work: () => Promise<T>): Promise<T> {
  const raise = (n: number) =>
    sql(
      `UPDATE membership_counts SET total = total + $2 WHERE organization_id = $1 AND slot = (SELECT min(slot) FROM membership_counts WHERE organization_id = $1)`,
      [organizationId, n],
    );
  await raise(by);
  try {
    return await work();
  } finally {
    await raise(-by);
  }
}
