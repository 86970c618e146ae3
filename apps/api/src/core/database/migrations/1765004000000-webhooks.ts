import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signed webhooks from an outbox. `webhook_endpoints` are an organization's URLs with the event types
 * they subscribe to and their signing secret (sealed with ROSTER_SECRET_KEY); `webhook_deliveries` are
 * one audit event to send to one endpoint, written by the statement trigger `webhooks_fan_out` on
 * `audit_events` in the transaction that recorded the event (both exist or neither does), then claimed
 * and sent by the delivery worker. A delivery holds no payload: the audit event is immutable and is
 * rendered at each attempt. The composite key keeps a delivery on its own organization's endpoint.
 * Both tables sit behind the organization policy where row-level security is on.
 */
export class Webhooks1765004000000 implements MigrationInterface {
  name = 'Webhooks1765004000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "webhook_endpoints" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "organization_id" uuid NOT NULL,
      "url" text NOT NULL,
      "description" text NOT NULL DEFAULT '',
      "event_types" text array NOT NULL,
      "enabled" boolean NOT NULL DEFAULT true,
      "disabled_reason" text,
      "disabled_at" TIMESTAMP WITH TIME ZONE,
      "secret_sealed" text NOT NULL,
      "previous_secret_sealed" text,
      "previous_secret_expires_at" TIMESTAMP WITH TIME ZONE,
      "secret_rotated_at" TIMESTAMP WITH TIME ZONE,
      "failing_since" TIMESTAMP WITH TIME ZONE,
      "last_success_at" TIMESTAMP WITH TIME ZONE,
      "last_failure_at" TIMESTAMP WITH TIME ZONE,
      "created_by" uuid,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_webhook_endpoints" PRIMARY KEY ("id"),
      CONSTRAINT "webhook_endpoints_org_id" UNIQUE ("organization_id", "id"),
      CONSTRAINT "FK_webhook_endpoints_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE,
      CONSTRAINT "webhook_endpoints_disabled" CHECK ("enabled" = ("disabled_reason" IS NULL)),
      CONSTRAINT "webhook_endpoints_reason" CHECK ("disabled_reason" IN ('MANUAL', 'GONE', 'FAILING')),
      CONSTRAINT "webhook_endpoints_previous" CHECK (("previous_secret_sealed" IS NULL) = ("previous_secret_expires_at" IS NULL)),
      CONSTRAINT "webhook_endpoints_types" CHECK (cardinality("event_types") BETWEEN 1 AND 200))`);
    // The fan-out's look-up: an organization's enabled endpoints.
    await q.query(`CREATE INDEX "webhook_endpoints_fan_out" ON "webhook_endpoints" ("organization_id") WHERE "enabled"`);
    // No foreign key to audit_events: checking it would lock the event's row at each insert, for a
    // guarantee the table already gives (events are never deleted).
    await q.query(`CREATE TABLE "webhook_deliveries" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "organization_id" uuid NOT NULL,
      "endpoint_id" uuid NOT NULL,
      "audit_event_id" bigint NOT NULL,
      "event_type" text NOT NULL,
      "status" text NOT NULL DEFAULT 'PENDING',
      "attempts" integer NOT NULL DEFAULT 0,
      "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "retry_until" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT (now() + '24:00:00'::interval),
      "response_status" integer,
      "response_body" text,
      "last_error" text,
      "last_attempt_at" TIMESTAMP WITH TIME ZONE,
      "finished_at" TIMESTAMP WITH TIME ZONE,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_webhook_deliveries" PRIMARY KEY ("id"),
      CONSTRAINT "FK_webhook_deliveries_endpoint" FOREIGN KEY ("organization_id", "endpoint_id")
        REFERENCES "webhook_endpoints"("organization_id", "id") ON DELETE CASCADE,
      CONSTRAINT "webhook_deliveries_status" CHECK ("status" IN ('PENDING', 'RETRYING', 'DELIVERED', 'FAILED')))`);
    await q.query(
      `CREATE INDEX "webhook_deliveries_due" ON "webhook_deliveries" ("next_attempt_at") WHERE "status" IN ('PENDING', 'RETRYING')`,
    );
    await q.query(
      `CREATE INDEX "webhook_deliveries_log" ON "webhook_deliveries" ("organization_id", "endpoint_id", "created_at" DESC, "id" DESC)`,
    );
    await q.query(`CREATE INDEX "webhook_deliveries_finished" ON "webhook_deliveries" ("finished_at") WHERE "finished_at" IS NOT NULL`);
    // Behind the same wall as every organization table, where row-level security is on.
    const [table]: { walled: boolean }[] = await q.query(`SELECT relrowsecurity AS walled FROM pg_class WHERE oid = '"roles"'::regclass`);
    if (table?.walled) {
      for (const name of ['webhook_endpoints', 'webhook_deliveries']) {
        await q.query(`ALTER TABLE "${name}" ENABLE ROW LEVEL SECURITY`);
        await q.query(`CREATE POLICY "organization" ON "${name}" TO roster_tenant
          USING ("organization_id" = current_setting('roster.organization_id')::uuid)
          WITH CHECK ("organization_id" = current_setting('roster.organization_id')::uuid)`);
      }
    }
    // One delivery per event × subscribed enabled endpoint of the event's organization, written by the
    // statement that recorded the events, whatever wrote them (an organization's transaction, a platform
    // one, an autocommit statement): it commits or rolls back with them. Platform events (no organization)
    // match nothing. Like every trigger function since row-level security: run as its owner, with a fixed
    // search path. The worker is woken ('w') only when rows were written, at commit.
    const [{ schema }]: { schema: string }[] = await q.query(`SELECT quote_ident(current_schema()) AS schema`);
    await q.query(`CREATE FUNCTION "webhooks_fan_out"() RETURNS trigger LANGUAGE plpgsql
      SECURITY DEFINER SET search_path = ${schema}, pg_temp AS $$
      DECLARE n integer;
      BEGIN
        INSERT INTO "webhook_deliveries" ("organization_id", "endpoint_id", "audit_event_id", "event_type")
        SELECT e."organization_id", e."id", a."id", a."action"
          FROM new_events a
          JOIN "webhook_endpoints" e
            ON e."organization_id" = a."organization_id" AND e."enabled" AND a."action" = ANY (e."event_types");
        GET DIAGNOSTICS n = ROW_COUNT;
        IF n > 0 THEN PERFORM pg_notify('roster_changes', 'w'); END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER "audit_events_webhooks" AFTER INSERT ON "audit_events"
      REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION "webhooks_fan_out"()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "audit_events_webhooks" ON "audit_events"`);
    await q.query(`DROP FUNCTION "webhooks_fan_out"()`);
    await q.query(`DROP TABLE "webhook_deliveries"`);
    await q.query(`DROP TABLE "webhook_endpoints"`);
  }
}
