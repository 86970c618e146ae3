import { Clipboard } from '@angular/cdk/clipboard';
import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { Notifier } from './notifier';
import { SecretOnceData, SecretOnceDialog } from './secret-once-dialog';

describe('SecretOnceDialog', () => {
  const close = jest.fn();
  const say = jest.fn();
  const copy = jest.fn(() => true);

  function render(data: SecretOnceData) {
    TestBed.configureTestingModule({
      imports: [TranslocoTestingModule.forRoot({ langs: { en: {} } })],
      providers: [
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: MAT_DIALOG_DATA, useValue: data },
        { provide: MatDialogRef, useValue: { close } },
        { provide: Notifier, useValue: { say } },
        { provide: Clipboard, useValue: { copy } },
      ],
    });
    const fixture = TestBed.createComponent(SecretOnceDialog);
    fixture.detectChanges();
    return fixture.nativeElement as HTMLElement;
  }

  const client: SecretOnceData = {
    title: 'oidcClients.registeredTitle',
    values: [{ label: 'oidcClients.clientId', copy: 'c', copied: 'd', value: 'rst_client_abc', testId: 'oidc-created-client-id' }],
    secret: 's3cret',
    secretLabel: 'oidcClients.clientSecret',
    once: 'oidcClients.secretOnce',
    note: 'oidcClients.confidentialUse',
    none: 'oidcClients.publicNoSecret',
  };

  beforeEach(() => jest.clearAllMocks());

  it('shows the secret once, saying so, with the values beside it', () => {
    const el = render(client);
    expect(el.querySelector<HTMLTextAreaElement>('[data-testid="oidc-created-client-id"]')?.value).toBe('rst_client_abc');
    expect(el.querySelector<HTMLTextAreaElement>('[data-testid="secret-once"]')?.value).toBe('s3cret');
    expect(el.textContent).toContain('oidcClients.secretOnce');
    expect(el.textContent).toContain('oidcClients.confidentialUse');
    expect(el.querySelector('[data-testid="secret-once-none"]')).toBeNull();
    expect(el.querySelector('[data-testid="secret-once-done"]')?.textContent).toContain('secretOnce.done');
  });

  it('says why there is no secret when there is none', () => {
    const el = render({ ...client, secret: null });
    expect(el.querySelector('[data-testid="secret-once"]')).toBeNull();
    expect(el.querySelector('[data-testid="secret-once-none"]')?.textContent).toContain('oidcClients.publicNoSecret');
  });

  it('shows the snippet as text, and copies the secret as it closes', () => {
    const el = render({
      title: 't',
      secret: 'whsec_abc',
      secretLabel: 'l',
      once: 'o',
      snippet: { caption: 'webhooks.snippetCaption', code: 'verify("<b>x</b>")' },
      copyOnClose: true,
    });
    const snippet = el.querySelector('[data-testid="secret-once-snippet"]');
    expect(snippet?.textContent).toBe('verify("<b>x</b>")');
    expect(snippet?.querySelector('b')).toBeNull();
    const button = el.querySelector<HTMLButtonElement>('[data-testid="secret-once-done"]');
    expect(button?.textContent).toContain('secretOnce.copyAndClose');
    button?.click();
    expect(copy).toHaveBeenCalledWith('whsec_abc');
    expect(say).toHaveBeenCalledWith('secretOnce.copied');
    expect(close).toHaveBeenCalled();
  });

  it('stays open when the browser refused the copy', () => {
    copy.mockReturnValueOnce(false);
    const el = render({ title: 't', secret: 'whsec_abc', secretLabel: 'l', once: 'o', copyOnClose: true });
    el.querySelector<HTMLButtonElement>('[data-testid="secret-once-done"]')?.click();
    expect(say).toHaveBeenCalledWith('secretOnce.notCopied');
    expect(close).not.toHaveBeenCalled();
  });
});
