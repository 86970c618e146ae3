import { randomUUID } from 'node:crypto';
import { Client as Pg, Notification } from 'pg';
import { startApp, TestApp } from './support/app';

/**
 * Webhooks' storage: the `webhooks_fan_out` trigger on audit_events writes one delivery per event and
 * subscribed, enabled endpoint of the event's organization, in the transaction that recorded the event,
 * and wakes the workers ('w' on roster_changes) only when it wrote some. Endpoints are inserted by SQL
 * here (their API comes later).
 */
describe('webhooks: storage and fan-out', () => {
  let app: TestApp;
  let organizationId: string;
  let endpointId: string;
  /** A listener of its own on roster_changes, and the payloads it heard. */
  let listener: Pg;
  const heard: string[] = [];

  const deliveries = () =>
    app.sql<{ audit_event_id: string; event_type: string; status: string; organization_id: string; endpoint_id: string }>(
      `SELECT audit_event_id, event_type, status, organization_id, endpoint_id FROM webhook_deliveries ORDER BY created_at, id`,
    );

  beforeAll(async () => {
    app = await startApp('webhooks-storage');
    [{ id: organizationId }] = await app.sql<{ id: string }>(`SELECT id FROM organizations`);
    [{ id: endpointId }] = await app.sql<{ id: string }>(
      `INSERT INTO webhook_endpoints (organization_id, url, event_types, secret_sealed)
       VALUES ($1, 'https://hooks.example.com/roster', '{organization.renamed,team.created}', 'sealed') RETURNING id`,
      [organizationId],
    );
    listener = new Pg({ connectionString: app.db.url });
    await listener.connect();
    listener.on('notification', (n: Notification) => heard.push(n.payload ?? ''));
    await listener.query('LISTEN roster_changes');
  });

  afterAll(async () => {
    await listener?.end();
    await app?.close();
  });

  it('a team created through the API writes one delivery, in the same transaction as its event, and wakes the workers', async () => {
    heard.length = 0;
    const teamId: string = (await app.admin.ok(`mutation { createTeam(input: { name: "Hooked" }) { id } }`)).createTeam.id;
    const [event] = await app.sql<{ id: string; at: string }>(
      `SELECT id, created_at::text AS at FROM audit_events WHERE action = 'team.created' AND details->>'teamId' = $1`,
      [teamId],
    );
    expect(await deliveries()).toEqual([
      { audit_event_id: event.id, event_type: 'team.created', status: 'PENDING', organization_id: organizationId, endpoint_id: endpointId },
    ]);
    // Written by the transaction that wrote the event: both default to now(), the transaction's start, to the
    // microsecond. (Not xmin: the delivery worker may have claimed the row since, which rewrites it.)
    const [delivery] = await app.sql<{ at: string }>(`SELECT created_at::text AS at FROM webhook_deliveries WHERE audit_event_id = $1`, [
      event.id,
    ]);
    expect(delivery.at).toBe(event.at);
    const deadline = Date.now() + 5_000;
    while (!heard.includes('w') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(heard).toContain('w');
  });

  it('a platform event, an unsubscribed type, another organization and a disabled endpoint write none, nor wake anyone', async () => {
    const before = await deliveries();
    heard.length = 0;
    // A platform event (organization.renamed has no organization), even though the endpoint names the type.
    await app.admin.ok(`mutation($i: UpdateOrganizationInput!) { updateOrganization(input: $i) { id } }`, {
      i: { id: organizationId, name: 'Renamed for hooks' },
    });
    expect(await app.sql(`SELECT 1 FROM audit_events WHERE action = 'organization.renamed' AND organization_id IS NULL`)).toHaveLength(1);
    // An event type the endpoint does not subscribe to.
    const teamId: string = (await app.admin.ok(`mutation { createTeam(input: { name: "Unheard" }) { id } }`)).createTeam.id;
    await app.admin.ok(`mutation($id: ID!) { renameTeam(id: $id, input: { name: "Unheard still" }) { id } }`, { id: teamId });
    // Another organization's event.
    await app.sql(`INSERT INTO audit_events (action, organization_id) VALUES ('team.created', $1)`, [randomUUID()]);
    // A disabled endpoint.
    await app.sql(`UPDATE webhook_endpoints SET enabled = false, disabled_reason = 'MANUAL', disabled_at = now() WHERE id = $1`, [
      endpointId,
    ]);
    await app.sql(`INSERT INTO audit_events (action, organization_id) VALUES ('team.created', $1)`, [organizationId]);
    // The one team.created of the second team was delivered before the endpoint was disabled: that is all.
    const after = await deliveries();
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.slice(before.length).map((d) => d.event_type)).toEqual(['team.created']);
    // A heartbeat of the server's own goes through too: give it time, then only one 'w' (the second team's).
    await new Promise((r) => setTimeout(r, 300));
    expect(heard.filter((p) => p === 'w')).toEqual(['w']);
  });

  it('deleting an endpoint deletes its log; a delivery naming another organization’s endpoint is refused', async () => {
    const [{ id: other }] = await app.sql<{ id: string }>(
      `INSERT INTO organizations (name, slug) VALUES ('Other hooks', 'other-hooks') RETURNING id`,
    );
    const [{ code }] = await app
      .sql(`INSERT INTO webhook_deliveries (organization_id, endpoint_id, audit_event_id, event_type) VALUES ($1, $2, 1, 'team.created')`, [
        other,
        endpointId,
      ])
      .then(
        () => [{ code: 'inserted' }],
        (e: { code: string }) => [{ code: e.code }],
      );
    expect(code).toBe('23503');
    await app.sql(`DELETE FROM webhook_endpoints WHERE id = $1`, [endpointId]);
    expect(await deliveries()).toEqual([]);
  });
});
