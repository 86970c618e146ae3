import { CdkCopyToClipboard } from '@angular/cdk/clipboard';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, DOCUMENT, inject, OnInit, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { CdkTextareaAutosize } from '@angular/cdk/text-field';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatDialogActions, MatDialogClose, MatDialogContent, MatDialogTitle } from '@angular/material/dialog';
import { MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { CreateInvitationsGQL, EmailsInUseGQL } from '@roster/console/data-access/generated';
import { RoleKey } from '@roster/contracts/permissions';
import { errorKey } from '../core/api';
import { downloadText } from '../shared/download';
import { Lookups } from '../shared/lookups';
import { Notifier } from '../shared/notifier';
import { RoleNamePipe, RoleNames } from '../shared/role-name';
import { RoleTeamsFields } from '../shared/role-teams-fields';
import { Submission } from '../shared/submission';
import { BulkRow, checkRows, MAX_BULK, parseCsv, parsePasted, resultsCsv } from './bulk-invite';
import { FormStatus } from '../shared/form-status';

/** "Invite several people": paste emails or upload a CSV, check the preview, create them all at once. */
@Component({
  selector: 'ro-bulk-invite-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogTitle,
    MatDialogContent,
    MatDialogActions,
    MatDialogClose,
    MatFormField,
    MatLabel,
    MatHint,
    MatInput,
    MatIcon,
    MatButton,
    MatIconButton,
    CdkCopyToClipboard,
    CdkTextareaAutosize,
    TranslocoPipe,
    RoleNamePipe,
    RoleTeamsFields,
    FormStatus,
  ],
  template: `
    <h2 mat-dialog-title>{{ 'bulk.title' | transloco }}</h2>
    @if (results(); as created) {
      <mat-dialog-content>
        <p role="status">{{ 'bulk.created' | transloco: { count: created.length } }}</p>
        <table class="ro-bulk" data-testid="bulk-results">
          <thead>
            <tr>
              <th>{{ 'common.email' | transloco }}</th>
              <th>{{ 'bulk.url' | transloco }}</th>
            </tr>
          </thead>
          <tbody>
            @for (r of created; track r.email) {
              <tr>
                <td>{{ r.email }}</td>
                <td class="url">{{ r.url }}</td>
              </tr>
            }
          </tbody>
        </table>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" (click)="download()">{{ 'bulk.downloadCsv' | transloco }}</button>
        <button mat-button type="button" [cdkCopyToClipboard]="copyText()" (cdkCopyToClipboardCopied)="copied()">
          {{ 'bulk.copyAll' | transloco }}
        </button>
        <button mat-flat-button type="button" [mat-dialog-close]="true">{{ 'common.close' | transloco }}</button>
      </mat-dialog-actions>
    } @else {
      <mat-dialog-content class="ro-form">
        <mat-form-field subscriptSizing="dynamic">
          <mat-label>{{ 'bulk.emails' | transloco }}</mat-label>
          <textarea
            matInput
            cdkTextareaAutosize
            cdkAutosizeMinRows="5"
            cdkAutosizeMaxRows="12"
            spellcheck="false"
            autocomplete="off"
            [formControl]="form.controls.emails"
            data-testid="bulk-emails"
          ></textarea>
          <mat-hint>{{ 'bulk.emailsHint' | transloco: { max: max } }}</mat-hint>
        </mat-form-field>

        <section class="csv" aria-labelledby="bulk-csv-title">
          <h3 id="bulk-csv-title">{{ 'bulk.csv' | transloco }}</h3>
          <p class="ro-muted" id="bulk-csv-hint">{{ 'bulk.csvHint' | transloco }}</p>
          <div class="file">
            <input #file type="file" hidden accept=".csv,text/csv" (change)="upload($event)" data-testid="bulk-csv" />
            <button mat-stroked-button type="button" (click)="file.click()" aria-describedby="bulk-csv-hint">
              <mat-icon>upload_file</mat-icon>{{ 'bulk.chooseCsv' | transloco }}
            </button>
            @if (fileName(); as name) {
              <span class="file-name" data-testid="bulk-csv-name">
                <mat-icon aria-hidden="true">description</mat-icon><span class="name">{{ name }}</span>
                <button
                  mat-icon-button
                  type="button"
                  (click)="removeFile()"
                  [attr.aria-label]="'bulk.removeCsv' | transloco: { name: name }"
                >
                  <mat-icon>close</mat-icon>
                </button>
              </span>
            }
          </div>
        </section>

        <section class="defaults" aria-labelledby="bulk-defaults-title">
          <h3 id="bulk-defaults-title">{{ 'bulk.defaults' | transloco }}</h3>
          <p class="ro-muted">{{ 'bulk.defaultsHint' | transloco }}</p>
          <div class="defaults-fields">
            <ro-role-teams-fields
              [role]="form.controls.roleId"
              [teamIds]="form.controls.teamIds"
              [roles]="lookups.grantableRoles()"
              [teams]="lookups.teams()"
            />
          </div>
        </section>

        <div class="check">
          <button mat-stroked-button type="button" (click)="preview()" [disabled]="busy()">
            <mat-icon>checklist</mat-icon>{{ 'bulk.preview' | transloco }}
          </button>
          @if (rows().length) {
            <span role="status" data-testid="bulk-summary">
              {{ 'bulk.summary' | transloco: { ready: ready().length, skipped: rows().length - ready().length } }}
            </span>
          }
        </div>
        @if (rows().length) {
          <table class="ro-bulk" data-testid="bulk-preview">
            <thead>
              <tr>
                <th>{{ 'common.email' | transloco }}</th>
                <th>{{ 'bulk.role' | transloco }}</th>
                <th>{{ 'bulk.check' | transloco }}</th>
              </tr>
            </thead>
            <tbody>
              @for (r of rows(); track $index) {
                <tr [class.ro-error]="r.problem">
                  <td class="email">{{ r.email }}</td>
                  <td>{{ role(r.roleId) | roleName }}</td>
                  <td>{{ (r.problem ? 'bulk.problem.' + r.problem : 'bulk.ready') | transloco }}</td>
                </tr>
              }
            </tbody>
          </table>
        }
        <ro-form-status [error]="error()" [busy]="busy()" />
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>{{ 'common.cancel' | transloco }}</button>
        <button mat-flat-button type="button" (click)="create()" [disabled]="busy() || !ready().length">
          {{ 'bulk.create' | transloco: { count: ready().length } }}
        </button>
      </mat-dialog-actions>
    }
  `,
  styles: `
    /* One address per line: long ones scroll sideways rather than breaking mid-address. */
    textarea {
      overflow-wrap: normal;
      overflow-x: auto;
    }
    h3 {
      margin: 0;
      font: var(--mat-sys-title-small);
    }
    section p {
      margin: 2px 0 8px;
      font: var(--mat-sys-body-small);
    }
    .csv {
      margin: 16px 0 8px;
    }
    .file {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px 12px;
    }
    .file-name {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      min-width: 0;
      max-width: 100%;
      padding-inline-start: 10px;
      border-radius: 8px;
      background: var(--mat-sys-surface-container-high);
      font: var(--mat-sys-body-medium);
    }
    .file-name .name {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .file-name mat-icon {
      flex: none;
    }
    .defaults {
      margin: 8px 0 0;
    }
    /* Role and teams side by side when there is room (the fields are this grid's items). */
    .defaults-fields {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(200px, 1fr));
      gap: 0 12px;
    }
    .check {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px 16px;
      margin-bottom: 8px;
    }
    .ro-bulk {
      width: 100%;
      border-collapse: collapse;
      font-size: 14px;
    }
    .ro-bulk th,
    .ro-bulk td {
      text-align: start;
      padding: 4px 8px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .ro-bulk td.email {
      overflow-wrap: anywhere;
    }
    .url {
      word-break: break-all;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BulkInviteDialog implements OnInit {
  protected readonly lookups = inject(Lookups);
  private readonly roleNames = inject(RoleNames);
  private readonly destroyRef = inject(DestroyRef);
  private readonly createGql = inject(CreateInvitationsGQL);
  private readonly inUseGql = inject(EmailsInUseGQL);
  private readonly notifier = inject(Notifier);
  private readonly document = inject(DOCUMENT);
  protected readonly max = MAX_BULK;
  private readonly submission = new Submission();
  protected readonly busy = this.submission.busy;
  protected readonly error = this.submission.error;
  protected readonly rows = signal<BulkRow[]>([]);
  protected readonly ready = computed(() => this.rows().filter((r) => !r.problem));
  protected readonly results = signal<{ email: string; url: string }[] | null>(null);
  private csvRows: BulkRow[] | null = null;
  /** The CSV file chosen, whose rows are checked (until a list is pasted or the file removed). */
  protected readonly fileName = signal<string | null>(null);
  protected readonly form = inject(NonNullableFormBuilder).group({ emails: [''], roleId: [''], teamIds: [[] as string[]] });

  async ngOnInit(): Promise<void> {
    // A pasted list replaces the file, as a file replaces the pasted list.
    this.form.controls.emails.valueChanges.pipe(takeUntilDestroyed(this.destroyRef)).subscribe((emails) => {
      if (emails.trim() && this.csvRows) this.forgetFile();
    });
    try {
      await this.lookups.load();
      const member = this.lookups.grantableRoles().find((r) => r.key === RoleKey.Member);
      if (member) this.form.controls.roleId.setValue(member.id);
    } catch (e) {
      this.error.set(errorKey(e));
    }
  }

  protected role(id: string) {
    return this.lookups.roles().find((r) => r.id === id);
  }

  /** A CSV file replaces the pasted list; its rows are checked at once. */
  async upload(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = ''; // choosing the same file again (edited since) reads it again
    if (!file) return;
    const { roleId, teamIds } = this.form.getRawValue();
    // Roles by their name as stored, their key, or their name as the console shows it ("Membre").
    const roles = this.lookups.grantableRoles().flatMap((r) => [r, { ...r, name: this.roleNames.name(r) }]);
    const rows = parseCsv(await file.text(), roles, this.lookups.teams(), { roleId, teamIds });
    this.form.controls.emails.setValue('');
    this.csvRows = rows;
    this.fileName.set(file.name);
    await this.preview();
  }

  removeFile(): void {
    this.forgetFile();
    this.rows.set([]);
  }

  private forgetFile(): void {
    this.csvRows = null;
    this.fileName.set(null);
  }

  /** Parses, then asks the API which emails are taken, and marks every row. */
  async preview(): Promise<void> {
    await this.submission.run(async () => {
      const { emails, roleId, teamIds } = this.form.getRawValue();
      const parsed = emails.trim() ? parsePasted(emails, { roleId, teamIds }) : (this.csvRows ?? []);
      // Every distinct email is looked up (in chunks the API takes), so no row is ever "ready" unchecked.
      const list = [...new Set(parsed.map((r) => r.email))];
      const taken: { email: string; status: string; pending: boolean }[] = [];
      for (let i = 0; i < list.length; i += MAX_BULK) {
        const chunk = list.slice(i, i + MAX_BULK);
        const found = await firstValueFrom(this.inUseGql.fetch({ variables: { emails: chunk }, fetchPolicy: 'network-only' }));
        taken.push(...(found.data?.emailsInUse ?? []));
      }
      this.rows.set(checkRows(parsed, new Map(taken.map((t) => [t.email, t]))));
    });
  }

  async create(): Promise<void> {
    await this.submission.run(async () => {
      const invitations = this.ready().map(({ email, roleId, teamIds }) => ({ email, roleId, teamIds }));
      const result = await firstValueFrom(this.createGql.mutate({ variables: { input: { invitations } } }));
      this.results.set((result.data?.createInvitations ?? []).map((r) => ({ email: r.user.email, url: r.url })));
    });
  }

  protected copyText(): string {
    return (this.results() ?? []).map((r) => `${r.email}\t${r.url}`).join('\n');
  }

  copied(): void {
    this.notifier.say('bulk.copied');
  }

  download(): void {
    downloadText(this.document, `invitations-${new Date().toISOString().slice(0, 10)}.csv`, resultsCsv(this.results() ?? []));
  }
}
