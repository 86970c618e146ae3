/**
 * "Checked rows", the second wall for reads: an organization's reads run as the connecting role (row-level
 * security would cost each of them a transaction, and would keep `LIKE` off the trigram indexes), so
 * each one selects the `organization_id` of its rows and this refuses the answer when one belongs to
 * another organization: a forgotten filter fails loudly (an internal error, logged) instead of showing
 * another organization's people.
 */
export function checkedRows<T>(organizationId: string, rows: T[], organizationOf: (row: T) => string, what: string): T[] {
  for (const row of rows) {
    if (organizationOf(row) !== organizationId) {
      throw new Error(`${what}: a row of another organization was read (its statement lacks the organization's filter)`);
    }
  }
  return rows;
}
