import { Injectable } from '@nestjs/common';
import { exportRows } from '../core/metrics';
import { InjectDataSource } from '@nestjs/typeorm';
import { stringify } from 'csv-stringify/sync';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { permissionLevel, PermissionLevel } from '@roster/contracts/permissions';
import type { AuditFilter, AuditRow } from '../audit/audit-query';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../core/access/principal';
import { RolesService } from '../roles/roles.service';
import { TwoFactorState, UserStatus } from '../core/enums';
import { normaliseSearch } from '../users/users-query';
import { ExportRow, UsersService } from '../users/users.service';
import { spreadsheetSafe } from './spreadsheet-safe';

/** Resolves true once the response can take more, false if the client went away first. */
function drained(res: Response): Promise<boolean> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve(!res.destroyed);
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Rows per keyset statement. */
const BATCH_SIZE = 2000;

export const EXPORT_COLUMNS = ['First name', 'Last name', 'Email', 'Status', 'Role', 'Teams', 'Permissions', 'Last connection'];

const LEVEL_LABELS: Record<PermissionLevel, string> = {
  FULL_ACCESS: 'Full access',
  MANAGE_USERS: 'Manage users',
  STANDARD: 'Standard access',
  READ_ONLY: 'Read only',
  NONE: 'No access',
};

export const AUDIT_EXPORT_COLUMNS = ['Time (UTC)', 'Action', 'Actor email', 'Actor id', 'Target email', 'Target id', 'Details', 'Event id'];

const STATUS_LABELS: Record<string, string> = { ACTIVE: 'Active', INVITED: 'Invited', DEACTIVATED: 'Deactivated' };

interface RoleLabels {
  name: string;
  level: string;
}

/** Streams every user, batch by batch: memory stays flat whatever the table size. */
@Injectable()
export class ExportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly users: UsersService,
    private readonly roles: RolesService,
  ) {}

  /** Role name and permission label per role, computed once per export rather than per row. */
  private async roleLabels(): Promise<Map<string, RoleLabels>> {
    const roles = await this.roles.list();
    return new Map(roles.map((r) => [r.id, { name: spreadsheetSafe(r.name), level: LEVEL_LABELS[permissionLevel(r.permissions)] }]));
  }

  private toCells(r: ExportRow, roles: Map<string, RoleLabels>): string[] {
    const role = roles.get(r.role_id);
    return [
      spreadsheetSafe(r.first_name),
      spreadsheetSafe(r.last_name),
      spreadsheetSafe(r.email),
      STATUS_LABELS[r.status] ?? r.status,
      role?.name ?? '',
      r.teams ? spreadsheetSafe(r.teams) : '',
      role?.level ?? '',
      r.last_sign_in_at ?? 'never',
    ];
  }

  /**
   * Every user in email order, a batch at a time. Each batch is one short keyset statement on a
   * pooled connection that goes straight back to the pool, so a slow reader holds no connection
   * (the next batch is read only when the response wants more).
   */
  /** Every user in email order, a batch at a time, read only when the response wants more. */
  private async *batches(term: string | null, status: UserStatus | null, twoFactor: TwoFactorState | null): AsyncGenerator<ExportRow[]> {
    const read = (after: string | null) => {
      const batch = this.users.exportBatch(after, BATCH_SIZE, term, status, twoFactor);
      batch.catch(() => undefined); // a read ahead nobody waits for (the download stopped) must not go unhandled
      return batch;
    };
    // One batch read ahead: PostgreSQL reads the next while this one is formatted and written. It is a
    // finished statement, not an open cursor: a stalled reader still holds no connection.
    let next = read(null);
    for (;;) {
      const rows = await next;
      const full = rows.length === BATCH_SIZE;
      if (full) next = read(rows[rows.length - 1].email);
      if (rows.length) yield rows;
      if (!full) return;
    }
  }

  async stream(
    actor: Principal,
    format: 'csv' | 'xlsx',
    search: string | null,
    res: Response,
    status: UserStatus | null = null,
    twoFactor: TwoFactorState | null = null,
  ): Promise<void> {
    const term = normaliseSearch(search);
    await this.audit.record(this.db.manager, actor, 'users.exported', null, { format, search: term, status, twoFactor });
    const roles = await this.roleLabels();
    const stamp = new Date().toISOString().slice(0, 10);
    const batches = this.batches(term, status, twoFactor);
    // The first batch is read before any header is sent, so a failure there is still a clean error.
    const first = await batches.next();
    const toCells = (r: ExportRow) => this.toCells(r, roles);
    async function* cells(): AsyncGenerator<string[]> {
      if (first.done) return;
      for (const r of first.value) yield toCells(r);
      for await (const batch of batches) for (const r of batch) yield toCells(r);
    }
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Disposition', `attachment; filename="users-${stamp}.${format}"`);
    try {
      if (format === 'csv') {
        res.setHeader('Content-Type', 'text/csv; charset=utf-8');
        // A batch at a time: formatted in one call, written in one piece, and the next batch is read
        // only once the response has taken it (a stalled reader holds no connection and little memory).
        let header = true;
        for (let batch = first; !batch.done; batch = await batches.next()) {
          const text = stringify(batch.value.map(toCells), { header, columns: EXPORT_COLUMNS });
          const ok = res.write(header ? `\uFEFF${text}` : text); // the BOM: so spreadsheet apps read UTF-8
          exportRows.inc({ format }, batch.value.length);
          header = false;
          if (!ok && !(await drained(res))) return;
        }
        if (header) res.write(`\uFEFF${stringify([], { header: true, columns: EXPORT_COLUMNS })}`);
        res.end();
      } else {
        res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
        // Loaded on first use: most processes never write a spreadsheet, and it weighs ~20 MB of memory.
        const { default: ExcelJS } = await import('exceljs');
        const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useSharedStrings: false, useStyles: false });
        const sheet = workbook.addWorksheet('Users');
        sheet.addRow(EXPORT_COLUMNS).commit();
        // exceljs writes without backpressure: pause while the response is full, or memory grows.
        let n = 0;
        for await (const row of cells()) {
          sheet.addRow(row).commit();
          exportRows.inc({ format });
          if (++n % 500 === 0 && res.writableNeedDrain && !(await drained(res))) return;
        }
        sheet.commit();
        await workbook.commit();
      }
    } catch (e) {
      // Headers are out: the only honest signal left is a cut connection (the client sees a failed download).
      res.destroy(e as Error);
    }
  }

  /** The audit events matching `filter`, newest first, a keyset batch at a time (read when the response wants more). */
  private async *auditBatches(filter: AuditFilter): AsyncGenerator<AuditRow[]> {
    const read = (after: { at: string; id: string } | null) => {
      const batch = this.audit.batch(filter, after, BATCH_SIZE);
      batch.catch(() => undefined); // a read ahead nobody waits for (the download stopped) must not go unhandled
      return batch;
    };
    let next = read(null);
    for (;;) {
      const rows = await next;
      const full = rows.length === BATCH_SIZE;
      if (full) next = read({ at: rows[rows.length - 1].cursor_at, id: rows[rows.length - 1].id });
      if (rows.length) yield rows;
      if (!full) return;
    }
  }

  /** The audit log, filtered as on the screen, as CSV; the export itself is recorded first. */
  async streamAudit(actor: Principal, filter: AuditFilter, res: Response): Promise<void> {
    await this.audit.record(this.db.manager, actor, 'audit.exported', null, { ...filter });
    const stamp = new Date().toISOString().slice(0, 10);
    const batches = this.auditBatches(filter);
    // The first batch is read before any header is sent, so a failure there is still a clean error.
    let batch = await batches.next();
    const toCells = (r: AuditRow) => [
      r.cursor_at,
      spreadsheetSafe(r.action),
      r.actor_email ? spreadsheetSafe(r.actor_email) : '',
      r.actor_id ?? '',
      r.target_email ? spreadsheetSafe(r.target_email) : '',
      r.target_id ?? '',
      spreadsheetSafe(JSON.stringify(r.details)),
      r.id,
    ];
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Disposition', `attachment; filename="audit-${stamp}.csv"`);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    try {
      let header = true;
      for (; !batch.done; batch = await batches.next()) {
        const text = stringify(batch.value.map(toCells), { header, columns: AUDIT_EXPORT_COLUMNS });
        const ok = res.write(header ? `\uFEFF${text}` : text); // the BOM: so spreadsheet apps read UTF-8
        header = false;
        if (!ok && !(await drained(res))) return;
      }
      if (header) res.write(`\uFEFF${stringify([], { header: true, columns: AUDIT_EXPORT_COLUMNS })}`);
      res.end();
    } catch (e) {
      // Headers are out: the only honest signal left is a cut connection (the client sees a failed download).
      res.destroy(e as Error);
    }
  }
}
