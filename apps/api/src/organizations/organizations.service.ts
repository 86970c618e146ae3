import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OrganizationStatus } from './organization.entity';
import type { OrganizationModel, OrganizationPage } from './organization.model';
import { decodeOrganizationCursor, encodeOrganizationCursor, organizationsPageQuery, pageSize, searchTerm } from './organizations-page';

/** Organizations (table organizations). */
@Injectable()
export class OrganizationsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The organization requests act in. Every row belongs to the first organization until requests name
   * theirs (the X-Roster-Organization header, a token's own organization), so this is the first one.
   */
  async current(): Promise<OrganizationModel> {
    const rows: OrganizationModel[] = await this.db.query(
      `SELECT id, slug, name, status, created_at AS "createdAt" FROM organizations WHERE slug IS NOT NULL ORDER BY created_at, id LIMIT 1`,
    );
    if (!rows[0]) throw new Error('No organization: the organizations migration creates the first one');
    return rows[0];
  }

  /** One organization (null when there is none by that id). */
  async byId(id: string): Promise<OrganizationModel | null> {
    const rows: OrganizationModel[] = await this.db.query(
      `SELECT id, slug, name, status, created_at AS "createdAt" FROM organizations WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** The operators' list: a page by name (any case), searched by slug or name (any case). */
  async page(first: number, after: string | null, search: string | null): Promise<OrganizationPage> {
    const limit = pageSize(first);
    const cursor = after == null ? null : decodeOrganizationCursor(after);
    const { sql, params } = organizationsPageQuery(searchTerm(search), cursor, limit + 1);
    const rows: { id: string; slug: string; name: string; status: OrganizationStatus; created_at: Date; sort_name: string }[] =
      await this.db.query(sql, params);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      organizations: page.map((r) => ({ id: r.id, slug: r.slug, name: r.name, status: r.status, createdAt: r.created_at })),
      hasNextPage: rows.length > limit,
      endCursor: last ? encodeOrganizationCursor(last.sort_name, last.id) : null,
    };
  }
}
