import { Injectable } from '@nestjs/common';
import { exportRows } from '../core/observability/metrics';
import { InjectDataSource } from '@nestjs/typeorm';
import { stringify } from 'csv-stringify/sync';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { permissionLevel, PermissionLevel } from '@roster/contracts/permissions';
import type { AuditFilter, AuditOwner, AuditRow } from '../audit/audit-query';
import { AuditService } from '../audit/audit.service';
import { organizationOf, type Principal } from '../core/access/principal';
import { RolesService } from '../roles/roles.service';
import { TeamsService } from '../teams/teams.service';
import { TwoFactorState, UserStatus } from '../users/users.enums';
import { normaliseSearch } from '../users/users-query';
import { ExportRow, UsersExportRows } from '../users/users-export-rows.service';
import { csvField, csvLine } from './csv';
import { spreadsheetSafe } from './spreadsheet-safe';
import { cellText, drained, rowXml, XlsxWriter } from './xlsx';

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

/** Teams' joined names kept per distinct set of team ids (few in practice); past this many, the cache restarts. */
const MAX_TEAM_SETS = 10_000;

/** How one format writes a cell's text: a CSV field, or an XLSX `<t>` element ('' for an empty cell). */
type Encode = (text: string) => string;

const encodeCsv: Encode = csvField;
const encodeXlsx: Encode = (text) => (text ? cellText(text) : '');

/** A role's name and permission label, neutralised and encoded for the format. */
interface RoleCells {
  name: string;
  level: string;
}

/**
 * The Teams column: PostgreSQL sends each member's team ids, and this maps them to the names, sorted as
 * PostgreSQL sorts them (the rank of `ORDER BY name`), joined, neutralised and encoded once per distinct
 * set of teams. The organization's teams are read once per export, and again when an id shows up that
 * was not there.
 */
class TeamCells {
  private teams = new Map<string, { name: string; rank: number }>();
  private readonly cells = new Map<string, string>();

  constructor(
    private readonly teamsOwner: TeamsService,
    private readonly organizationId: string,
    private readonly encode: Encode,
  ) {}

  async load(): Promise<void> {
    const rows = await this.teamsOwner.names(this.organizationId);
    this.teams = new Map(rows.map((t, rank) => [t.id, { name: t.name, rank }]));
  }

  /** Makes `cell` ready for every row of `rows` (reads the teams again, once, if one is new). */
  async prepare(rows: ExportRow[]): Promise<void> {
    if (this.cells.size > MAX_TEAM_SETS) this.cells.clear();
    for (const r of rows) {
      const ids = r[5];
      if (ids !== null && !this.cells.has(ids) && !this.add(ids, false)) {
        await this.load();
        this.cells.clear();
        for (const row of rows) if (row[5] !== null && !this.cells.has(row[5])) this.add(row[5], true);
        return;
      }
    }
  }

  /** The encoded cell for a user's team ids ('' for none). */
  cell(ids: string | null): string {
    return ids === null ? '' : (this.cells.get(ids) ?? '');
  }

  /** False if an id is unknown, unless `anyway` (a team deleted since the batch was read is left out). */
  private add(ids: string, anyway: boolean): boolean {
    const teams: { name: string; rank: number }[] = [];
    for (const id of ids.split(',')) {
      const team = this.teams.get(id);
      if (team) teams.push(team);
      else if (!anyway) return false;
    }
    const names = teams
      .sort((a, b) => a.rank - b.rank)
      .map((t) => t.name)
      .join(', ');
    this.cells.set(ids, names ? this.encode(spreadsheetSafe(names)) : '');
    return true;
  }
}

/** Streams every member of the current organization, batch by batch: memory stays flat whatever the organization's size. */
@Injectable()
export class ExportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly users: UsersExportRows,
    private readonly roles: RolesService,
    private readonly teamsOwner: TeamsService,
  ) {}

  /** Role name and permission label per role of the organization, computed once per export rather than per row. */
  private async roleCells(organizationId: string, encode: Encode): Promise<Map<string, RoleCells>> {
    const roles = await this.roles.list(organizationId);
    return new Map(
      roles.map((r) => [r.id, { name: encode(spreadsheetSafe(r.name)), level: encode(LEVEL_LABELS[permissionLevel(r.permissions)]) }]),
    );
  }

  /**
   * Every member of the organization in email order, a batch at a time. Each batch is short keyset
   * statements on pooled connections that go straight back to the pool, so a slow reader holds no
   * connection (the batch after next is read only when the response wants more).
   */
  private async *batches(
    organizationId: string,
    term: string | null,
    status: UserStatus | null,
    twoFactor: TwoFactorState | null,
  ): AsyncGenerator<ExportRow[]> {
    // Each batch is two short statements: the users, then their teams' ids. One batch is read ahead, so
    // PostgreSQL reads the next users (and then their teams) while this batch is formatted and written,
    // and reads a batch's teams while the next users are read (on another pooled connection).
    const read = (after: string | null) => {
      const batch = this.users.batch(organizationId, after, BATCH_SIZE, term, status, twoFactor).then((rows) => ({
        rows,
        teams: this.teamIds(organizationId, rows),
      }));
      // A read ahead nobody waits for (the download stopped) must not go unhandled.
      batch.then(({ teams }) => teams.catch(() => undefined)).catch(() => undefined);
      return batch;
    };
    // Finished statements, not an open cursor: a stalled reader still holds no connection.
    let next = read(null);
    for (;;) {
      const { rows, teams } = await next;
      const full = rows.length === BATCH_SIZE;
      if (full) next = read(rows[rows.length - 1][2]);
      await teams;
      if (rows.length) yield rows;
      if (!full) return;
    }
  }

  /**
   * Sets each row's team ids in the organization (the Teams column's input), from the teams owner: a
   * statement of its own, so that PostgreSQL reads the next batch meanwhile.
   */
  private async teamIds(organizationId: string, rows: ExportRow[]): Promise<void> {
    if (!rows.length) return;
    const ids = await this.teamsOwner.idsPerUser(
      organizationId,
      rows.map((r) => r[7]),
    );
    ids.forEach((teamIds, i) => (rows[i][5] = teamIds));
  }

  async stream(
    actor: Principal,
    format: 'csv' | 'xlsx',
    search: string | null,
    res: Response,
    status: UserStatus | null = null,
    twoFactor: TwoFactorState | null = null,
  ): Promise<void> {
    const organizationId = organizationOf(actor);
    const term = normaliseSearch(search);
    await this.audit.record(this.db.manager, actor, 'users.exported', null, { format, search: term, status, twoFactor });
    const encode = format === 'csv' ? encodeCsv : encodeXlsx;
    const roles = await this.roleCells(organizationId, encode);
    const teams = new TeamCells(this.teamsOwner, organizationId, encode);
    await teams.load();
    const statuses = new Map(Object.entries(STATUS_LABELS).map(([k, v]) => [k, encode(v)]));
    const statusCell = (s: string) => statuses.get(s) ?? encode(s);
    const stamp = new Date().toISOString().slice(0, 10);
    const batches = this.batches(organizationId, term, status, twoFactor);
    // The first batch is read before any header is sent, so a failure there is still a clean error.
    let batch = await batches.next();
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Disposition', `attachment; filename="users-${stamp}.${format}"`);
    // A batch at a time: formatted in one piece and written in one piece, and the next batch is taken
    // only once the response has taken this one (a stalled reader holds no connection and little memory).
    if (format === 'csv') {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      try {
        let head = `\uFEFF${csvLine(EXPORT_COLUMNS)}`; // the BOM: so spreadsheet apps read UTF-8
        for (; !batch.done; batch = await batches.next()) {
          const rows = batch.value;
          await teams.prepare(rows);
          let text = head;
          head = '';
          for (const r of rows) {
            const role = roles.get(r[4]);
            text +=
              `${csvField(spreadsheetSafe(r[0]))},${csvField(spreadsheetSafe(r[1]))},${csvField(spreadsheetSafe(r[2]))},` +
              `${statusCell(r[3])},${role?.name ?? ''},${teams.cell(r[5])},${role?.level ?? ''},${r[6] ?? 'never'}\n`;
          }
          const ok = res.write(text);
          exportRows.inc({ format }, rows.length);
          if (!ok && !(await drained(res, res))) return;
        }
        if (head) res.write(head);
        res.end();
      } catch (e) {
        // Headers are out: the only honest signal left is a cut connection (the client sees a failed download).
        res.destroy(e as Error);
      }
      return;
    }
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const xlsx = new XlsxWriter(res, 'Users');
    try {
      let ok = await xlsx.write(rowXml(1, EXPORT_COLUMNS.map(encodeXlsx)));
      const never = encodeXlsx('never');
      let n = 1;
      for (; ok && !batch.done; batch = await batches.next()) {
        if (res.destroyed) {
          ok = false; // the client went away while the next batch was read
          break;
        }
        const rows = batch.value;
        await teams.prepare(rows);
        let xml = '';
        for (const r of rows) {
          const role = roles.get(r[4]);
          xml += rowXml(++n, [
            encodeXlsx(spreadsheetSafe(r[0])),
            encodeXlsx(spreadsheetSafe(r[1])),
            encodeXlsx(spreadsheetSafe(r[2])),
            statusCell(r[3]),
            role?.name ?? '',
            teams.cell(r[5]),
            role?.level ?? '',
            r[6] === null ? never : `<t>${r[6]}</t>`,
          ]);
        }
        ok = await xlsx.write(xml);
        exportRows.inc({ format }, rows.length);
      }
      if (ok) xlsx.end();
      else xlsx.abort();
    } catch (e) {
      xlsx.abort();
      res.destroy(e as Error);
    }
  }

  /** `owner`'s audit events matching `filter`, newest first, a keyset batch at a time (read when the response wants more). */
  private async *auditBatches(owner: AuditOwner, filter: AuditFilter): AsyncGenerator<AuditRow[]> {
    const read = (after: { at: string; id: string } | null) => {
      const batch = this.audit.batch(owner, filter, after, BATCH_SIZE);
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

  /**
   * The audit log of `owner` (the current organization, or the platform for an operator: see
   * auditOwner), filtered as on the screen, as CSV; the export itself is recorded first, in that log.
   */
  async streamAudit(actor: Principal, owner: AuditOwner, filter: AuditFilter, res: Response): Promise<void> {
    if (owner === null) {
      await this.audit.record(this.db.manager, actor, 'audit.exported', null, { ...filter, scope: 'PLATFORM' }, { platform: true });
    } else {
      await this.audit.record(this.db.manager, actor, 'audit.exported', null, { ...filter }, { organizationId: owner });
    }
    const stamp = new Date().toISOString().slice(0, 10);
    const batches = this.auditBatches(owner, filter);
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
        if (!ok && !(await drained(res, res))) return;
      }
      if (header) res.write(`\uFEFF${stringify([], { header: true, columns: AUDIT_EXPORT_COLUMNS })}`);
      res.end();
    } catch (e) {
      // Headers are out: the only honest signal left is a cut connection (the client sees a failed download).
      res.destroy(e as Error);
    }
  }
}
