import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OrganizationStatus } from './organization.entity';
import type { OrganizationModel } from './organization.model';

/** Organizations (table organizations). */
@Injectable()
export class OrganizationsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The organization requests act in. Every row belongs to the first organization until requests name
   * theirs (the X-Roster-Organization header, a token's own organization), so this is the first one.
   */
  async current(): Promise<OrganizationModel> {
    const rows: { id: string; slug: string; name: string; status: OrganizationStatus }[] = await this.db.query(
      `SELECT id, slug, name, status FROM organizations WHERE slug IS NOT NULL ORDER BY created_at, id LIMIT 1`,
    );
    if (!rows[0]) throw new Error('No organization: the organizations migration creates the first one');
    return rows[0];
  }
}
