import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { TranslocoService, TranslocoTestingModule } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { UpdateUserGQL, UserRowFragment } from '@roster/console/data-access/generated';
import { Session } from '../core/session';
import { Lookups } from '../shared/lookups';
import { EditUserDialog } from './edit-user-dialog';

describe('EditUserDialog', () => {
  const person: UserRowFragment = {
    id: 'u1',
    email: 'pat@example.com',
    firstName: 'Pat',
    lastName: 'Newcomer',
    status: 'ACTIVE',
    permissionLevel: 'STANDARD',
    lastSignInAt: null,
    invitationExpiresAt: null,
    invitationEmailStatus: null,
    twoFactorEnabled: false,
    provisioned: false,
    role: { id: 'r1', name: 'Member', key: 'MEMBER' },
    teams: [],
  };

  async function render(user: UserRowFragment): Promise<HTMLElement> {
    const en = { users: { provisioned: 'Provisioned' }, edit: { provisionedNote: 'Your identity provider may overwrite these changes.' } };
    await TestBed.configureTestingModule({
      imports: [
        EditUserDialog,
        TranslocoTestingModule.forRoot({ langs: { en }, translocoConfig: { defaultLang: 'en', availableLangs: ['en'] } }),
      ],
      providers: [
        { provide: MAT_DIALOG_DATA, useValue: user },
        { provide: MatDialogRef, useValue: { close: jest.fn() } },
        { provide: UpdateUserGQL, useValue: { mutate: jest.fn() } },
        { provide: Session, useValue: { userId: signal('me') } },
        {
          provide: Lookups,
          useValue: { load: jest.fn(async () => undefined), roles: signal([]), teams: signal([]), grantableRoles: signal([]) },
        },
      ],
    }).compileComponents();
    await firstValueFrom(TestBed.inject(TranslocoService).load('en'));
    const fixture = TestBed.createComponent(EditUserDialog);
    await fixture.whenStable();
    fixture.detectChanges();
    return fixture.nativeElement as HTMLElement;
  }

  it('marks a person the identity provider manages, and says it may overwrite the changes', async () => {
    const el = await render({ ...person, provisioned: true });
    expect(el.querySelector('[data-testid=provisioned-mark]')?.textContent).toContain('Provisioned');
    expect(el.textContent).toContain('Your identity provider may overwrite these changes.');
  });

  it('shows no mark for a person the console manages', async () => {
    const el = await render(person);
    expect(el.querySelector('[data-testid=provisioned-mark]')).toBeNull();
    expect(el.textContent).not.toContain('identity provider');
  });
});
