import { MigrationInterface, QueryRunner } from 'typeorm';

/** The operators' search of organizations: a slug or a name containing the text, any case (trigrams). */
export class OrganizationsSearch1765000110000 implements MigrationInterface {
  name = 'OrganizationsSearch1765000110000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "organizations_slug_trgm" ON "organizations" USING gin ("slug" gin_trgm_ops)`);
    await q.query(`CREATE INDEX "organizations_name_trgm" ON "organizations" USING gin ("name" gin_trgm_ops)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "organizations_name_trgm"`);
    await q.query(`DROP INDEX "organizations_slug_trgm"`);
  }
}
