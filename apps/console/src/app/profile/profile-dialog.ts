import { ChangeDetectionStrategy, Component, inject, Injector } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatDialog, MatDialogActions, MatDialogClose, MatDialogContent, MatDialogRef, MatDialogTitle } from '@angular/material/dialog';
import { MatFormField, MatLabel, MatError } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatSelect, MatOption } from '@angular/material/select';
import { MatButtonToggle, MatButtonToggleGroup } from '@angular/material/button-toggle';
import { MatButton } from '@angular/material/button';
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { Language, Theme, UpdateMyProfileGQL } from '@roster/console/data-access/generated';
import { Preferences } from '../core/preferences';
import { Session } from '../core/session';
import { ApiTokensSection } from './api-tokens';
import { ChangePasswordForm } from './change-password';
import { SsoLinkSection } from './sso-link';
import { TwoFactorSection } from '../shared/two-factor/two-factor';
import { MySessionsSection } from './my-sessions';
import { Notifier } from '../shared/notifier';
import { Submission } from '../shared/submission';
import { FormStatus } from '../shared/form-status';

/** "Edit my profile": profile, password, two-factor authentication, single sign-on link, API tokens. */
@Component({
  selector: 'ro-profile-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogTitle,
    MatDialogContent,
    MatDialogActions,
    MatDialogClose,
    MatFormField,
    MatLabel,
    MatError,
    MatInput,
    MatSelect,
    MatOption,
    MatButtonToggleGroup,
    MatButtonToggle,
    MatButton,
    TranslocoPipe,
    ChangePasswordForm,
    TwoFactorSection,
    SsoLinkSection,
    ApiTokensSection,
    MySessionsSection,
    FormStatus,
  ],
  templateUrl: './profile-dialog.html',
  styleUrl: './profile-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProfileDialog {
  private readonly session = inject(Session);
  private readonly prefs = inject(Preferences);
  private readonly updateGql = inject(UpdateMyProfileGQL);
  private readonly ref = inject(MatDialogRef<ProfileDialog>);
  private readonly notifier = inject(Notifier);
  private readonly me = this.session.me();
  protected readonly email = this.me?.user.email ?? '';
  protected readonly languages: Language[] = ['EN', 'FR'];
  protected readonly themes: Theme[] = ['LIGHT', 'DARK', 'SYSTEM'];
  private readonly submission = new Submission();
  protected readonly busy = this.submission.busy;
  protected readonly error = this.submission.error;
  private saved = false;
  protected readonly form = inject(NonNullableFormBuilder).group({
    firstName: [this.me?.user.firstName ?? '', Validators.required],
    lastName: [this.me?.user.lastName ?? '', Validators.required],
    language: [this.me?.language ?? ('EN' as Language)],
    theme: [this.me?.theme ?? ('SYSTEM' as Theme)],
  });

  constructor() {
    // Language and theme apply at once; closing without saving puts the saved ones back.
    this.form.controls.language.valueChanges.subscribe((l) => this.prefs.applyLanguage(l));
    this.form.controls.theme.valueChanges.subscribe((t) => this.prefs.applyTheme(t));
    this.ref.beforeClosed().subscribe(() => {
      const me = this.session.me();
      if (!this.saved && me) this.prefs.apply(me.language, me.theme);
    });
  }

  async save(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const value = this.form.getRawValue();
    await this.submission.run(async () => {
      const result = await firstValueFrom(
        this.updateGql.mutate({ variables: { input: { ...value, firstName: value.firstName.trim(), lastName: value.lastName.trim() } } }),
      );
      this.saved = true;
      this.session.set(result.data?.updateMyProfile ?? null);
      this.notifier.say('profile.saved');
      this.ref.close(true);
    });
  }
}

/** Opens the profile dialog (OPEN_PROFILE in app.config.ts); settles once it has closed. */
export async function openProfile(injector: Injector): Promise<void> {
  const ref = injector.get(MatDialog).open(ProfileDialog, { autoFocus: 'first-tabbable', maxWidth: '95vw' });
  await firstValueFrom(ref.afterClosed());
}
