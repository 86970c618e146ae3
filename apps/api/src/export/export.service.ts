import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { Response } from 'express';
import type { Pool, PoolClient } from 'pg';
import QueryStream from 'pg-query-stream';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { DataSource } from 'typeorm';
import { permissionLevel, PermissionLevel } from '@roster/contracts/permissions';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { likePattern, normaliseSearch } from '../users/users-query';
import { spreadsheetSafe } from './spreadsheet-safe';

export const EXPORT_COLUMNS = ['First name', 'Last name', 'Email', 'Status', 'Role', 'Teams', 'Permissions', 'Last connection'];

const LEVEL_LABELS: Record<PermissionLevel, string> = {
  FULL_ACCESS: 'Full access',
  MANAGE_USERS: 'Manage users',
  STANDARD: 'Standard access',
  READ_ONLY: 'Read only',
  NONE: 'No access',
};

interface ExportRow {
  first_name: string;
  last_name: string;
  email: string;
  status: string;
  role_id: string;
  teams: string | null;
  last_sign_in_at: Date | null;
}

interface RoleLabels {
  name: string;
  level: string;
}

/** Streams every user from a server-side cursor: memory stays flat whatever the table size. */
@Injectable()
export class ExportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Role name and permission label per role, computed once per export rather than per row. */
  private async roleLabels(): Promise<Map<string, RoleLabels>> {
    const roles: { id: string; name: string; permissions: string[] }[] = await this.db.query(`SELECT id, name, permissions FROM roles`);
    return new Map(roles.map((r) => [r.id, { name: spreadsheetSafe(r.name), level: LEVEL_LABELS[permissionLevel(r.permissions)] }]));
  }

  private toCells(r: ExportRow, roles: Map<string, RoleLabels>): string[] {
    const role = roles.get(r.role_id);
    return [
      spreadsheetSafe(r.first_name),
      spreadsheetSafe(r.last_name),
      spreadsheetSafe(r.email),
      r.status === 'INVITED' ? 'Invited' : 'Active',
      role?.name ?? '',
      r.teams ? spreadsheetSafe(r.teams) : '',
      role?.level ?? '',
      r.last_sign_in_at ? r.last_sign_in_at.toISOString() : 'never',
    ];
  }

  async stream(actor: Principal, format: 'csv' | 'xlsx', search: string | null, res: Response): Promise<void> {
    const term = normaliseSearch(search);
    await this.audit.record(this.db.manager, actor, 'users.exported', null, { format, search: term });
    const roles = await this.roleLabels();
    const pool = (this.db.driver as unknown as { master: Pool }).master;
    const client: PoolClient = await pool.connect();
    const params = term ? [likePattern(term)] : [];
    const rows = client.query(
      new QueryStream(
        `SELECT u.first_name, u.last_name, u.email, u.status, u.role_id,
                (SELECT string_agg(t.name, ', ' ORDER BY t.name) FROM user_teams ut JOIN teams t ON t.id = ut.team_id
                  WHERE ut.user_id = u.id) AS teams, u.last_sign_in_at
           FROM users u ${term ? 'WHERE u.email LIKE $1' : ''} ORDER BY u.email`,
        params,
        { batchSize: 2000, highWaterMark: 2000 },
      ),
    );
    const stamp = new Date().toISOString().slice(0, 10);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Disposition', `attachment; filename="users-${stamp}.${format}"`);
    try {
      if (format === 'csv') {
        res.setHeader('Content-Type', 'text/csv; charset=utf-8');
        res.write('\uFEFF'); // so spreadsheet apps read UTF-8
        const toCells = new Transform({ objectMode: true, transform: (r: ExportRow, _e, cb) => cb(null, this.toCells(r, roles)) });
        await pipeline(rows, toCells, stringify({ header: true, columns: EXPORT_COLUMNS }), res);
      } else {
        res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
        const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useSharedStrings: false, useStyles: false });
        const sheet = workbook.addWorksheet('Users');
        sheet.addRow(EXPORT_COLUMNS).commit();
        // exceljs writes without backpressure: pause while the response is full, or memory grows.
        let n = 0;
        for await (const r of rows as AsyncIterable<ExportRow>) {
          sheet.addRow(this.toCells(r, roles)).commit();
          if (++n % 500 === 0 && res.writableNeedDrain) await once(res, 'drain');
        }
        sheet.commit();
        await workbook.commit();
      }
    } catch (e) {
      rows.destroy();
      if (!res.headersSent) throw e;
      res.destroy(e as Error);
    } finally {
      client.release();
    }
  }
}
