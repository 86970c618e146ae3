import { ChangeDetectionStrategy, Component, ElementRef, inject, signal, viewChild } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { AbstractControl, NonNullableFormBuilder, ReactiveFormsModule, ValidationErrors, Validators } from '@angular/forms';
import { MatDialogActions, MatDialogClose, MatDialogContent, MatDialogRef, MatDialogTitle } from '@angular/material/dialog';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatButton } from '@angular/material/button';
import { CdkCopyToClipboard } from '@angular/cdk/clipboard';
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { CreateOrganizationGQL } from '@roster/console/data-access/generated';
import { normaliseSlug, SLUG_MAX, slugify, slugProblem } from '@roster/contracts/organizations';
import { FormStatus } from '../shared/form-status';
import { Notifier } from '../shared/notifier';
import { Submission } from '../shared/submission';
import { organizationErrorKey, SLUG_TAKEN, slugProblemKey } from './organization-errors';

/** The longest name an organization may have (as the API allows). */
export const NAME_MAX = 100;

/** A slug the API would accept (1–40 of a-z 0-9 -, not a reserved word); the problem otherwise. */
function slugValidator(control: AbstractControl<string>): ValidationErrors | null {
  const problem = slugProblem(control.value ?? '');
  return problem ? { slug: problem } : null;
}

/** What the dialog shows once the organization exists: its first admin's invitation URL. */
interface Created {
  readonly name: string;
  readonly email: string;
  readonly url: string;
}

/**
 * Creates an organization with its first admin: name, the slug (proposed from the name until edited),
 * the admin's email; then shows the admin's invitation URL once, to copy. Closes with true when created.
 */
@Component({
  selector: 'ro-create-organization-dialog',
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
    MatButton,
    CdkCopyToClipboard,
    TranslocoPipe,
    FormStatus,
  ],
  template: `
    @if (created(); as c) {
      <h2 mat-dialog-title>{{ 'organizations.createdTitle' | transloco: { name: c.name } }}</h2>
      <mat-dialog-content>
        <mat-form-field class="url">
          <mat-label>{{ 'organizations.invitationUrl' | transloco }}</mat-label>
          <input matInput readonly [value]="c.url" data-testid="organization-invitation-url" (focus)="$any($event.target).select()" />
        </mat-form-field>
        <p class="ro-muted">{{ 'organizations.invitationHelp' | transloco: { email: c.email, name: c.name } }}</p>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" [mat-dialog-close]="true">{{ 'common.close' | transloco }}</button>
        <button mat-flat-button type="button" [cdkCopyToClipboard]="c.url" (cdkCopyToClipboardCopied)="copied()">
          {{ 'invite.copyClose' | transloco }}
        </button>
      </mat-dialog-actions>
    } @else {
      <h2 mat-dialog-title>{{ 'organizations.createTitle' | transloco }}</h2>
      <form [formGroup]="form" (ngSubmit)="create()">
        <mat-dialog-content class="ro-form">
          <mat-form-field subscriptSizing="dynamic">
            <mat-label>{{ 'organizations.name' | transloco }}</mat-label>
            <input matInput formControlName="name" [maxlength]="nameMax" required cdkFocusInitial autocomplete="off" />
            <mat-error>{{ 'common.required' | transloco }}</mat-error>
          </mat-form-field>
          <mat-form-field subscriptSizing="dynamic">
            <mat-label>{{ 'organizations.slug' | transloco }}</mat-label>
            <input
              matInput
              #slug
              formControlName="slug"
              [maxlength]="slugMax"
              required
              autocomplete="off"
              autocapitalize="none"
              spellcheck="false"
              (input)="slugEdited = true"
              data-testid="organization-slug"
            />
            @if (form.controls.slug.errors?.['slug']; as problem) {
              <mat-error>{{ slugProblemKey(problem) | transloco: { max: slugMax } }}</mat-error>
            } @else if (form.controls.slug.hasError('taken')) {
              <mat-error data-testid="slug-taken">{{ 'errors.SLUG_TAKEN' | transloco }}</mat-error>
            }
            <mat-hint>{{ 'organizations.slugHint' | transloco: { slug: form.controls.slug.value || '…' } }}</mat-hint>
          </mat-form-field>
          <mat-form-field subscriptSizing="dynamic">
            <mat-label>{{ 'organizations.firstAdminEmail' | transloco }}</mat-label>
            <input matInput type="email" formControlName="firstAdminEmail" required autocomplete="off" />
            @if (form.controls.firstAdminEmail.hasError('email')) {
              <mat-error>{{ 'common.invalidEmail' | transloco }}</mat-error>
            } @else {
              <mat-error>{{ 'common.required' | transloco }}</mat-error>
            }
            <mat-hint>{{ 'organizations.firstAdminHint' | transloco }}</mat-hint>
          </mat-form-field>
          <ro-form-status [error]="error()" [busy]="busy()" />
        </mat-dialog-content>
        <mat-dialog-actions align="end">
          <button mat-button type="button" mat-dialog-close>{{ 'common.cancel' | transloco }}</button>
          <button mat-flat-button type="submit" [disabled]="busy()">{{ 'organizations.create' | transloco }}</button>
        </mat-dialog-actions>
      </form>
    }
  `,
  styles: `
    .url {
      width: min(560px, 80vw);
    }
    mat-form-field {
      margin-bottom: 8px;
    }
    mat-hint {
      overflow-wrap: anywhere;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CreateOrganizationDialog {
  private readonly createGql = inject(CreateOrganizationGQL);
  private readonly ref = inject(MatDialogRef<CreateOrganizationDialog>);
  private readonly notifier = inject(Notifier);
  private readonly submission = new Submission();
  protected readonly busy = this.submission.busy;
  protected readonly error = this.submission.error;
  protected readonly nameMax = NAME_MAX;
  protected readonly slugMax = SLUG_MAX;
  protected readonly slugProblemKey = slugProblemKey;
  protected readonly created = signal<Created | null>(null);
  private readonly slugInput = viewChild<ElementRef<HTMLInputElement>>('slug');
  /** Once the slug is typed in, the name no longer proposes one. */
  protected slugEdited = false;
  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', [Validators.required, Validators.maxLength(NAME_MAX), Validators.pattern(/\S/)]],
    slug: ['', [slugValidator]],
    firstAdminEmail: ['', [Validators.required, Validators.email]],
  });

  constructor() {
    this.form.controls.name.valueChanges.pipe(takeUntilDestroyed()).subscribe((name) => {
      if (!this.slugEdited) this.form.controls.slug.setValue(slugify(name, ''));
    });
  }

  async create(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const value = this.form.getRawValue();
    const input = { name: value.name.trim(), slug: normaliseSlug(value.slug), firstAdminEmail: value.firstAdminEmail.trim() };
    await this.submission.run(
      async () => {
        const result = await firstValueFrom(this.createGql.mutate({ variables: { input } }));
        const answer = result.data?.createOrganization;
        if (!answer) throw result.error ?? new Error('no organization in the answer');
        this.created.set({ name: answer.organization.name, email: input.firstAdminEmail, url: answer.invitation.url });
      },
      (e) => {
        const key = organizationErrorKey(e);
        if (key !== `errors.${SLUG_TAKEN}`) {
          this.error.set(key);
          return;
        }
        // Said beside the slug, which the operator changes next (editing it clears the error).
        this.error.set(null);
        this.form.controls.slug.setErrors({ taken: true });
        this.form.controls.slug.markAsTouched();
        this.slugInput()?.nativeElement.focus();
      },
    );
  }

  copied(): void {
    this.notifier.say('invite.copied');
    this.ref.close(true);
  }
}
