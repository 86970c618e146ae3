import { CdkCopyToClipboard } from '@angular/cdk/clipboard';
import { ChangeDetectionStrategy, Component, computed, DOCUMENT, inject, OnInit, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatDialogActions, MatDialogClose, MatDialogContent, MatDialogTitle } from '@angular/material/dialog';
import { MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { CreateInvitationsGQL, EmailsInUseGQL } from '@roster/console/data-access/generated';
import { RoleKey } from '@roster/contracts/permissions';
import { errorKey } from '../core/api';
import { downloadText } from '../shared/download';
import { Lookups } from '../shared/lookups';
import { RoleTeamsFields } from '../shared/role-teams-fields';
import { Submission } from '../shared/submission';
import { BulkRow, checkRows, MAX_BULK, parseCsv, parsePasted, resultsCsv } from './bulk-invite';

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
    MatButton,
    MatProgressBar,
    CdkCopyToClipboard,
    TranslocoPipe,
    RoleTeamsFields,
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
        <mat-form-field>
          <mat-label>{{ 'bulk.emails' | transloco }}</mat-label>
          <textarea matInput rows="5" [formControl]="form.controls.emails" data-testid="bulk-emails"></textarea>
          <mat-hint>{{ 'bulk.emailsHint' | transloco: { max: max } }}</mat-hint>
        </mat-form-field>
        <p>
          <label class="file">
            {{ 'bulk.csv' | transloco }}
            <input type="file" accept=".csv,text/csv" (change)="upload($event)" data-testid="bulk-csv" />
          </label>
          <span class="ro-muted">{{ 'bulk.csvHint' | transloco }}</span>
        </p>
        <ro-role-teams-fields
          [role]="form.controls.roleId"
          [teamIds]="form.controls.teamIds"
          [roles]="lookups.grantableRoles()"
          [teams]="lookups.teams()"
          [teamsHint]="'bulk.defaultsHint'"
        />
        <button mat-stroked-button type="button" (click)="preview()" [disabled]="busy()">{{ 'bulk.preview' | transloco }}</button>
        @if (rows().length) {
          <p role="status" data-testid="bulk-summary">
            {{ 'bulk.summary' | transloco: { ready: ready().length, skipped: rows().length - ready().length } }}
          </p>
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
                  <td>{{ r.email }}</td>
                  <td>{{ roleName(r.roleId) }}</td>
                  <td>{{ (r.problem ? 'bulk.problem.' + r.problem : 'bulk.ready') | transloco }}</td>
                </tr>
              }
            </tbody>
          </table>
        }
        @if (error()) {
          <p class="ro-error" role="alert">{{ error()! | transloco }}</p>
        }
        @if (busy()) {
          <mat-progress-bar mode="indeterminate" />
        }
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
    .url {
      word-break: break-all;
    }
    .file input {
      margin-inline-start: 8px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BulkInviteDialog implements OnInit {
  protected readonly lookups = inject(Lookups);
  private readonly createGql = inject(CreateInvitationsGQL);
  private readonly inUseGql = inject(EmailsInUseGQL);
  private readonly snackBar = inject(MatSnackBar);
  private readonly transloco = inject(TranslocoService);
  private readonly document = inject(DOCUMENT);
  protected readonly max = MAX_BULK;
  private readonly submission = new Submission();
  protected readonly busy = this.submission.busy;
  protected readonly error = this.submission.error;
  protected readonly rows = signal<BulkRow[]>([]);
  protected readonly ready = computed(() => this.rows().filter((r) => !r.problem));
  protected readonly results = signal<{ email: string; url: string }[] | null>(null);
  private csvRows: BulkRow[] | null = null;
  protected readonly form = inject(NonNullableFormBuilder).group({ emails: [''], roleId: [''], teamIds: [[] as string[]] });

  async ngOnInit(): Promise<void> {
    try {
      await this.lookups.load();
      const member = this.lookups.grantableRoles().find((r) => r.key === RoleKey.Member);
      if (member) this.form.controls.roleId.setValue(member.id);
    } catch (e) {
      this.error.set(errorKey(e));
    }
  }

  protected roleName(id: string): string {
    return this.lookups.roles().find((r) => r.id === id)?.name ?? '';
  }

  /** A CSV file replaces the pasted list; its rows are checked at once. */
  async upload(event: Event): Promise<void> {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (!file) return;
    const { roleId, teamIds } = this.form.getRawValue();
    this.csvRows = parseCsv(await file.text(), this.lookups.grantableRoles(), this.lookups.teams(), { roleId, teamIds });
    this.form.controls.emails.setValue('');
    await this.preview();
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
    this.snackBar.open(this.transloco.translate('bulk.copied'), undefined, { duration: 4000 });
  }

  download(): void {
    downloadText(this.document, `invitations-${new Date().toISOString().slice(0, 10)}.csv`, resultsCsv(this.results() ?? []));
  }
}
