import { ChangeDetectionStrategy, Component, ElementRef, inject, signal, viewChildren } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import {
  MAT_DIALOG_DATA,
  MatDialogActions,
  MatDialogClose,
  MatDialogContent,
  MatDialogRef,
  MatDialogTitle,
} from '@angular/material/dialog';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatSlideToggle } from '@angular/material/slide-toggle';
import { MatButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { CreateOidcClientGQL, OidcClientFieldsFragment, UpdateOidcClientGQL } from '@roster/console/data-access/generated';
import { FormStatus } from '../shared/form-status';
import { ClientField, ClientProblem, clientProblem, NAME_MAX, URI_MAX, uriLines, uriListValidator, URIS_MAX } from './oidc-client-form';

export interface OidcClientDialogData {
  /** The client to edit; none: register a new one. */
  readonly client?: OidcClientFieldsFragment;
  /** Whether the person is a platform operator (who alone registers platform-wide clients). */
  readonly operator: boolean;
}

/** What the dialog closes with once saved: the client, and for a new one its secret (null for a public client). */
export type OidcClientDialogResult =
  | { readonly created: true; readonly client: OidcClientFieldsFragment; readonly clientSecret: string | null }
  | { readonly created: false; readonly client: OidcClientFieldsFragment };

/**
 * Registers an application (an OpenID Connect client), or edits one: its name, redirect URIs (one per
 * line), post-logout redirect URIs, back-channel logout URI, first party or not; at registration only,
 * public or confidential and (operators) platform-wide. A URI the API refuses is said beside its field.
 */
@Component({
  selector: 'ro-oidc-client-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogTitle,
    MatDialogContent,
    MatDialogActions,
    MatDialogClose,
    MatFormField,
    MatLabel,
    MatHint,
    MatError,
    MatInput,
    MatSlideToggle,
    MatButton,
    MatIcon,
    TranslocoPipe,
    FormStatus,
  ],
  template: `
    <h2 mat-dialog-title>{{ title | transloco: { name: edited?.name } }}</h2>
    <form [formGroup]="form" (ngSubmit)="save()">
      <mat-dialog-content class="ro-form">
        <mat-form-field subscriptSizing="dynamic">
          <mat-label>{{ 'oidcClients.name' | transloco }}</mat-label>
          <input #field data-field="name" matInput formControlName="name" [maxlength]="nameMax" required autocomplete="off" />
          <mat-hint>{{ 'oidcClients.nameHint' | transloco }}</mat-hint>
          @if (form.controls.name.errors?.['server']; as key) {
            <mat-error>{{ key | transloco }}</mat-error>
          } @else {
            <mat-error>{{ 'common.required' | transloco }}</mat-error>
          }
        </mat-form-field>

        <mat-form-field subscriptSizing="dynamic">
          <mat-label>{{ 'oidcClients.redirectUris' | transloco }}</mat-label>
          <textarea
            #field
            data-field="redirectUris"
            matInput
            rows="3"
            formControlName="redirectUris"
            required
            spellcheck="false"
            autocomplete="off"
            autocapitalize="none"
            placeholder="https://app.example.com/callback"
          ></textarea>
          <mat-hint>{{ 'oidcClients.redirectUrisHint' | transloco }}</mat-hint>
          <mat-error>{{ uriError('redirectUris') | transloco: { max: uriMax, count: urisMax } }}</mat-error>
        </mat-form-field>

        <mat-form-field subscriptSizing="dynamic">
          <mat-label>{{ 'oidcClients.postLogoutRedirectUris' | transloco }}</mat-label>
          <textarea
            #field
            data-field="postLogoutRedirectUris"
            matInput
            rows="2"
            formControlName="postLogoutRedirectUris"
            spellcheck="false"
            autocomplete="off"
            autocapitalize="none"
          ></textarea>
          <mat-hint>{{ 'oidcClients.postLogoutRedirectUrisHint' | transloco }}</mat-hint>
          <mat-error>{{ uriError('postLogoutRedirectUris') | transloco: { max: uriMax, count: urisMax } }}</mat-error>
        </mat-form-field>

        <mat-form-field subscriptSizing="dynamic">
          <mat-label>{{ 'oidcClients.backchannelLogoutUri' | transloco }}</mat-label>
          <input
            #field
            data-field="backchannelLogoutUri"
            matInput
            formControlName="backchannelLogoutUri"
            [maxlength]="uriMax"
            spellcheck="false"
            autocomplete="off"
            autocapitalize="none"
          />
          <mat-hint>{{ 'oidcClients.backchannelLogoutUriHint' | transloco }}</mat-hint>
          <mat-error>{{ uriError('backchannelLogoutUri') | transloco }}</mat-error>
        </mat-form-field>

        <div class="toggles">
          @if (edited) {
            <p class="fixed" data-testid="oidc-client-kind">
              <mat-icon aria-hidden="true">{{ edited.public ? 'public' : 'lock' }}</mat-icon>
              <span>{{ (edited.public ? 'oidcClients.publicFixed' : 'oidcClients.confidentialFixed') | transloco }}</span>
            </p>
          } @else {
            <mat-slide-toggle formControlName="public" aria-describedby="oidc-public-hint">{{
              'oidcClients.public' | transloco
            }}</mat-slide-toggle>
            <p class="hint" id="oidc-public-hint">{{ 'oidcClients.publicHint' | transloco }}</p>
          }
          <mat-slide-toggle formControlName="firstParty" aria-describedby="oidc-first-party-hint">{{
            'oidcClients.firstParty' | transloco
          }}</mat-slide-toggle>
          <p class="hint" id="oidc-first-party-hint">{{ 'oidcClients.firstPartyHint' | transloco }}</p>
          @if (!edited && data.operator) {
            <mat-slide-toggle formControlName="platformWide" aria-describedby="oidc-platform-wide-hint">{{
              'oidcClients.platformWide' | transloco
            }}</mat-slide-toggle>
            <p class="hint" id="oidc-platform-wide-hint">{{ 'oidcClients.platformWideHint' | transloco }}</p>
          }
        </div>

        @if (problem(); as p) {
          <p class="ro-error" role="alert" data-testid="oidc-client-error">{{ p.key | transloco: p.params }}</p>
        }
        <ro-form-status [busy]="busy()" />
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>{{ 'common.cancel' | transloco }}</button>
        <button mat-flat-button type="submit" [disabled]="busy()">
          {{ (edited ? 'oidcClients.save' : 'oidcClients.register') | transloco }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    mat-form-field {
      margin-bottom: 8px;
    }
    /* One URI per line: a long one scrolls sideways rather than breaking mid-address. */
    textarea {
      overflow-wrap: normal;
      white-space: pre;
      overflow-x: auto;
    }
    mat-hint,
    mat-error {
      overflow-wrap: anywhere;
    }
    .toggles {
      display: flex;
      flex-direction: column;
      align-items: flex-start;
      margin-top: 4px;
    }
    .hint {
      margin: 0 0 12px;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
    .fixed {
      display: flex;
      align-items: center;
      gap: 8px;
      margin: 0 0 12px;
      color: var(--mat-sys-on-surface-variant);
      mat-icon {
        flex: none;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OidcClientDialog {
  protected readonly data = inject<OidcClientDialogData>(MAT_DIALOG_DATA);
  protected readonly edited = this.data.client ?? null;
  protected readonly title = this.edited ? 'oidcClients.editTitle' : 'oidcClients.registerTitle';
  private readonly createGql = inject(CreateOidcClientGQL);
  private readonly updateGql = inject(UpdateOidcClientGQL);
  private readonly ref = inject(MatDialogRef<OidcClientDialog, OidcClientDialogResult>);
  private readonly fields = viewChildren<ElementRef<HTMLElement>>('field');
  protected readonly nameMax = NAME_MAX;
  protected readonly uriMax = URI_MAX;
  protected readonly urisMax = URIS_MAX;
  protected readonly busy = signal(false);
  /** What the API refused, when it is not about one field. */
  protected readonly problem = signal<ClientProblem | null>(null);
  protected readonly form = inject(NonNullableFormBuilder).group({
    name: [this.edited?.name ?? '', [Validators.required, Validators.maxLength(NAME_MAX), Validators.pattern(/\S/)]],
    redirectUris: [(this.edited?.redirectUris ?? []).join('\n'), [uriListValidator(1)]],
    postLogoutRedirectUris: [(this.edited?.postLogoutRedirectUris ?? []).join('\n'), [uriListValidator(0)]],
    backchannelLogoutUri: [this.edited?.backchannelLogoutUri ?? '', [Validators.maxLength(URI_MAX)]],
    public: [this.edited?.public ?? false],
    firstParty: [this.edited?.firstParty ?? false],
    platformWide: [false],
  });

  /** The translation key of what is wrong with a field of URIs. */
  protected uriError(field: ClientField): string {
    const errors = this.form.controls[field].errors ?? {};
    if (errors['server']) return errors['server'];
    if (errors['required']) return 'oidcClients.invalid.atLeastOne';
    if (errors['tooMany']) return 'oidcClients.invalid.tooMany';
    return 'oidcClients.invalid.tooLong';
  }

  async save(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const v = this.form.getRawValue();
    const common = {
      name: v.name.trim(),
      redirectUris: uriLines(v.redirectUris),
      postLogoutRedirectUris: uriLines(v.postLogoutRedirectUris),
      backchannelLogoutUri: v.backchannelLogoutUri.trim() || null,
      firstParty: v.firstParty,
    };
    this.busy.set(true);
    this.problem.set(null);
    try {
      if (this.edited) {
        const result = await firstValueFrom(this.updateGql.mutate({ variables: { input: { id: this.edited.id, ...common } } }));
        const client = result.data?.updateOidcClient;
        if (!client) throw result.error ?? new Error('no client in the answer');
        this.ref.close({ created: false, client });
      } else {
        const input = { ...common, public: v.public, ...(this.data.operator && v.platformWide ? { platformWide: true } : {}) };
        const result = await firstValueFrom(this.createGql.mutate({ variables: { input } }));
        const answer = result.data?.createOidcClient;
        if (!answer) throw result.error ?? new Error('no client in the answer');
        this.ref.close({ created: true, client: answer.client, clientSecret: answer.clientSecret });
      }
    } catch (e) {
      this.refused(clientProblem(e));
    } finally {
      this.busy.set(false);
    }
  }

  /** A refused field shows why beside it and takes the focus (typing in it clears the error); anything else goes above the buttons. */
  private refused(problem: ClientProblem): void {
    if (!problem.field) {
      this.problem.set(problem);
      return;
    }
    const control = this.form.controls[problem.field];
    control.setErrors({ server: problem.key });
    control.markAsTouched();
    this.fields()
      .find((f) => f.nativeElement.dataset['field'] === problem.field)
      ?.nativeElement.focus();
  }
}
