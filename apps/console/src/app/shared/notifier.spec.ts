import { ApplicationRef } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { OverlayContainer } from '@angular/cdk/overlay';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { TranslocoService, TranslocoTestingModule } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { Confirm } from './confirm-dialog';
import { Notifier } from './notifier';

const en = {
  common: { cancel: 'Cancel' },
  users: {
    saved: 'Changes saved',
    deactivated: '{{email}} can no longer sign in',
    deactivate: 'Deactivate',
    deactivateTitle: 'Deactivate {{email}}?',
  },
  errors: { EMAIL_TAKEN: 'This email is already used', INTERNAL_SERVER_ERROR: 'Something went wrong' },
};

describe('Notifier and Confirm', () => {
  let overlay: HTMLElement;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [TranslocoTestingModule.forRoot({ langs: { en }, translocoConfig: { defaultLang: 'en', availableLangs: ['en'] } })],
      // jsdom ends no CSS animation: a replaced snack bar would never leave.
      providers: [{ provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } }],
    });
    await firstValueFrom(TestBed.inject(TranslocoService).load('en'));
    overlay = TestBed.inject(OverlayContainer).getContainerElement();
  });

  /** The snack bar's text once it is the only one shown (a newer one waits for the older to leave). */
  async function shown(): Promise<string> {
    for (let i = 0; i < 100; i++) {
      await new Promise((r) => setTimeout(r, 10));
      await TestBed.inject(ApplicationRef).whenStable();
      const bars = overlay.querySelectorAll('.mat-mdc-snack-bar-container');
      if (bars.length === 1) return bars[0].textContent?.trim() ?? '';
    }
    throw new Error('no single snack bar');
  }

  it('says a translated message, with its parameters; a newer one replaces it', async () => {
    const notifier = TestBed.inject(Notifier);
    notifier.say('users.deactivated', { email: 'ada@example.com' });
    expect(await shown()).toBe('ada@example.com can no longer sign in');
    notifier.say('users.saved');
    expect(await shown()).toBe('Changes saved');
    expect(overlay.querySelectorAll('.mat-mdc-snack-bar-container')).toHaveLength(1);
  });

  it('reports a failed API call by its error code, and an unknown failure as an internal error', async () => {
    const notifier = TestBed.inject(Notifier);
    notifier.failed(new CombinedGraphQLErrors({ errors: [{ message: 'taken', extensions: { code: 'EMAIL_TAKEN' } }] }));
    expect(await shown()).toBe('This email is already used');
    notifier.failed(new Error('network down'));
    expect(await shown()).toBe('Something went wrong');
  });

  it('attempts an action: true when it succeeds, false and the error said when it fails', async () => {
    const notifier = TestBed.inject(Notifier);
    expect(await notifier.attempt(async () => notifier.say('users.saved'))).toBe(true);
    expect(await shown()).toBe('Changes saved');
    const failure = new CombinedGraphQLErrors({ errors: [{ message: 'taken', extensions: { code: 'EMAIL_TAKEN' } }] });
    expect(await notifier.attempt(() => Promise.reject(failure))).toBe(false);
    expect(await shown()).toBe('This email is already used');
  });

  it('asks before acting: true on confirm, false on cancel', async () => {
    const confirm = TestBed.inject(Confirm);
    const data = {
      title: 'users.deactivateTitle',
      text: 'users.deactivateTitle',
      confirm: 'users.deactivate',
      params: { email: 'ada@example.com' },
    };
    const click = async (label: string) => {
      await new Promise((r) => setTimeout(r));
      await TestBed.inject(ApplicationRef).whenStable();
      expect(overlay.querySelector('h2')?.textContent?.trim()).toBe('Deactivate ada@example.com?');
      [...overlay.querySelectorAll('button')].find((b) => b.textContent?.trim() === label)?.click();
    };
    let answer = confirm.ask(data);
    await click('Deactivate');
    expect(await answer).toBe(true);
    answer = confirm.ask(data);
    await click('Cancel');
    expect(await answer).toBe(false);
  });
});
