import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { of, throwError } from 'rxjs';
import { ALL_PERMISSIONS, permissionArea } from '@roster/contracts/permissions';
import { CreateRoleGQL, DeleteRoleGQL, RoleRowFragment, UpdateRoleGQL } from '@roster/console/data-access/generated';
import { DeleteRoleDialog, holdersOf } from './delete-role-dialog';
import { RoleDialog } from './role-dialog';
import { duplicatePermissions, groupByArea, PermissionInfo, RoleFormData } from './role-form';

const VOCABULARY: PermissionInfo[] = [
  { key: 'users:read', label: 'See people', description: 'List people.', area: 'users' },
  { key: 'users:write', label: 'Edit people', description: 'Change people.', area: 'users' },
  { key: 'teams:read', label: 'See teams', description: 'List teams.', area: 'teams' },
  { key: 'audit:read', label: 'Read the audit log', description: 'Read it.', area: 'audit' },
];

function role(fields: Partial<RoleRowFragment>): RoleRowFragment {
  return {
    id: 'r1',
    key: 'AUDITORS',
    name: 'Auditors',
    description: '',
    builtIn: false,
    permissions: ['users:read'],
    permissionLevel: 'READ_ONLY' as RoleRowFragment['permissionLevel'],
    holders: 0,
    ...fields,
  };
}

const inUse = (holders: number, tokens: number) =>
  new CombinedGraphQLErrors({ errors: [{ message: 'in use', extensions: { code: 'ROLE_IN_USE', holders, tokens } }] });

describe('role form helpers', () => {
  it('groups the vocabulary by area, in its order', () => {
    expect(groupByArea(VOCABULARY).map((a) => [a.area, a.permissions.map((p) => p.key)])).toEqual([
      ['users', ['users:read', 'users:write']],
      ['teams', ['teams:read']],
      ['audit', ['audit:read']],
    ]);
  });

  it('names every area of the vocabulary in both languages', () => {
    const areas = [...new Set(ALL_PERMISSIONS.map(permissionArea))];
    for (const lang of ['en', 'fr']) {
      const tree = JSON.parse(readFileSync(join(__dirname, '../../../public/i18n', `${lang}.json`), 'utf8'));
      expect([lang, areas.filter((a) => typeof tree.rolesPage.areas[a] !== 'string')]).toEqual([lang, []]);
    }
  });

  it('a duplicate keeps only the permissions the person holds, and counts the others', () => {
    expect(duplicatePermissions(['users:read', 'users:write', 'audit:read'], ['users:read', 'audit:read'])).toEqual({
      kept: ['users:read', 'audit:read'],
      dropped: 1,
    });
  });

  it('reads who holds a role from ROLE_IN_USE, and nothing from other errors', () => {
    expect(holdersOf(inUse(2, 1))).toEqual({ holders: 2, tokens: 1 });
    expect(holdersOf(new CombinedGraphQLErrors({ errors: [{ message: 'no', extensions: { code: 'FORBIDDEN' } }] }))).toBeNull();
    expect(holdersOf(new Error('network'))).toBeNull();
  });
});

describe('RoleDialog', () => {
  const create = { mutate: jest.fn(() => of({ data: { createRole: role({}) } })) };
  const update = { mutate: jest.fn(() => of({ data: { updateRole: role({}) } })) };
  const close = jest.fn();

  function render(data: Partial<RoleFormData>) {
    TestBed.configureTestingModule({
      imports: [
        TranslocoTestingModule.forRoot({
          langs: { en: { rolesPage: { copyName: 'Copy of {{name}}' } } },
          translocoConfig: { availableLangs: ['en'], defaultLang: 'en' },
          preloadLangs: true,
        }),
      ],
      providers: [
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: CreateRoleGQL, useValue: create },
        { provide: UpdateRoleGQL, useValue: update },
        { provide: MatDialogRef, useValue: { close } },
        { provide: MAT_DIALOG_DATA, useValue: { vocabulary: VOCABULARY, mine: ['users:read', 'teams:read', 'audit:read'], ...data } },
      ],
    });
    const fixture = TestBed.createComponent(RoleDialog);
    fixture.detectChanges();
    const el = fixture.nativeElement as HTMLElement;
    const box = (key: string) => el.querySelector<HTMLInputElement>(`[data-permission="${key}"] input`) as HTMLInputElement;
    const name = el.querySelector<HTMLInputElement>('input[formcontrolname="name"]') as HTMLInputElement;
    const submit = async () => {
      el.querySelector<HTMLButtonElement>('button[type="submit"]')?.click();
      await fixture.whenStable();
      fixture.detectChanges();
    };
    return { fixture, el, box, name, submit };
  }

  beforeEach(() => jest.clearAllMocks());

  it('offers only the permissions the person holds', () => {
    const { box } = render({});
    expect(box('users:read').disabled).toBe(false);
    expect(box('users:write').disabled).toBe(true);
  });

  it('asks for at least one permission before calling the API, then creates the role in the vocabulary order', async () => {
    const { fixture, el, box, name, submit } = render({});
    name.value = ' Auditors ';
    name.dispatchEvent(new Event('input'));
    await submit();
    expect(create.mutate).not.toHaveBeenCalled();
    expect(el.querySelector('#role-permissions-error')).not.toBeNull();
    box('audit:read').click();
    box('users:read').click();
    fixture.detectChanges();
    await submit();
    expect(create.mutate).toHaveBeenCalledWith({
      variables: { input: { name: 'Auditors', description: '', permissions: ['users:read', 'audit:read'] } },
    });
    expect(close).toHaveBeenCalledWith(true);
  });

  it('a duplicate starts from the original, without what the person cannot grant', () => {
    const { el, box, name } = render({ copyOf: role({ name: 'Editors', permissions: ['users:read', 'users:write'] }) });
    expect(name.value).toBe('Copy of Editors');
    expect(box('users:read').checked).toBe(true);
    expect(box('users:write').checked).toBe(false);
    expect(el.textContent).toContain('rolesPage.droppedOnCopy');
  });

  it('edits a custom role by its id', async () => {
    const { submit } = render({ edit: role({ description: 'Reads', permissions: ['users:read', 'teams:read'] }) });
    await submit();
    expect(update.mutate).toHaveBeenCalledWith({
      variables: { input: { id: 'r1', name: 'Auditors', description: 'Reads', permissions: ['users:read', 'teams:read'] } },
    });
  });

  it('shows a typed error of the API inline', async () => {
    create.mutate.mockReturnValueOnce(
      throwError(() => new CombinedGraphQLErrors({ errors: [{ message: 'taken', extensions: { code: 'ROLE_NAME_TAKEN' } }] })),
    );
    const { el, box, name, fixture, submit } = render({});
    name.value = 'Viewer';
    name.dispatchEvent(new Event('input'));
    box('users:read').click();
    fixture.detectChanges();
    await submit();
    expect(el.querySelector('[role="alert"]')?.textContent).toContain('errors.ROLE_NAME_TAKEN');
    expect(close).not.toHaveBeenCalled();
  });
});

describe('DeleteRoleDialog', () => {
  const remove = { mutate: jest.fn(() => of({ data: { deleteRole: true } })) };
  const close = jest.fn();

  function render(target: RoleRowFragment) {
    TestBed.configureTestingModule({
      imports: [TranslocoTestingModule.forRoot({ langs: { en: {} } })],
      providers: [
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: DeleteRoleGQL, useValue: remove },
        { provide: MatDialogRef, useValue: { close } },
        {
          provide: MAT_DIALOG_DATA,
          useValue: { role: target, replacements: [role({ id: 'viewer', key: 'VIEWER', name: 'Viewer', builtIn: true })] },
        },
      ],
    });
    const fixture = TestBed.createComponent(DeleteRoleDialog);
    fixture.detectChanges();
    const el = fixture.nativeElement as HTMLElement;
    const confirm = async () => {
      el.querySelectorAll<HTMLButtonElement>('mat-dialog-actions button')[1]?.click();
      await fixture.whenStable();
      fixture.detectChanges();
    };
    return { fixture, el, confirm };
  }

  beforeEach(() => jest.clearAllMocks());

  it('deletes a role nobody holds at once', async () => {
    const { confirm } = render(role({}));
    await confirm();
    expect(remove.mutate).toHaveBeenCalledWith({ variables: { id: 'r1', replacementRoleId: null } });
    expect(close).toHaveBeenCalledWith(true);
  });

  it('asks for a replacement when people hold the role, and sends nothing without one', async () => {
    const { el, confirm } = render(role({ holders: 3 }));
    expect(el.querySelector('[data-testid="role-holders"]')).not.toBeNull();
    expect(el.querySelector('mat-select')).not.toBeNull();
    await confirm();
    expect(remove.mutate).not.toHaveBeenCalled();
    expect(el.textContent).toContain('rolesPage.chooseReplacement');
  });

  it('when tokens hold it (ROLE_IN_USE), asks for a replacement instead of showing an error', async () => {
    remove.mutate.mockReturnValueOnce(throwError(() => inUse(0, 2)));
    const { el, confirm } = render(role({}));
    await confirm();
    expect(close).not.toHaveBeenCalled();
    expect(el.textContent).toContain('rolesPage.tokensCount');
    expect(el.textContent).not.toContain('errors.ROLE_IN_USE');
    expect(el.querySelector('mat-select')).not.toBeNull();
  });
});
