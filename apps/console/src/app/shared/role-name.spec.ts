import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { TranslocoService, TranslocoTestingModule } from '@jsverse/transloco';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RoleKey } from '@roster/contracts/permissions';
import { builtInRoleKey, RoleNamePipe, RoleNames } from './role-name';

type Tree = { [key: string]: string | Tree };
const load = (lang: string): Tree => JSON.parse(readFileSync(join(__dirname, '../../../public/i18n', `${lang}.json`), 'utf8')) as Tree;
const en = load('en');
const fr = load('fr');

@Component({
  selector: 'ro-roles-test',
  imports: [RoleNamePipe],
  template: `@for (r of roles; track r.name) {
    <span>{{ r | roleName }}</span>
  }`,
})
class RolesTest {
  roles = [
    { key: 'MEMBER', name: 'Member' },
    { key: 'SUPPORT', name: 'Support desk' },
    { key: null, name: 'Viewer' },
  ];
}

describe('role names', () => {
  it('names every built-in role in both languages', () => {
    for (const tree of [en, fr]) {
      const roles = tree['roles'] as Tree;
      expect(Object.values(RoleKey).filter((k) => typeof roles?.[k] !== 'string' || !roles[k])).toEqual([]);
    }
    expect(fr['roles']).toEqual({ ADMIN: 'Administrateur', MANAGER: 'Gestionnaire', MEMBER: 'Membre', VIEWER: 'Lecteur' });
  });

  it('translates built-in keys only', () => {
    expect(Object.values(RoleKey).map(builtInRoleKey)).toEqual(['roles.ADMIN', 'roles.MANAGER', 'roles.MEMBER', 'roles.VIEWER']);
    expect(builtInRoleKey('SUPPORT')).toBeNull();
    expect(builtInRoleKey('member')).toBeNull();
    expect(builtInRoleKey(null)).toBeNull();
  });

  it('shows built-in roles in the console’s language and follows it; other roles as stored', async () => {
    TestBed.configureTestingModule({
      imports: [
        RolesTest,
        TranslocoTestingModule.forRoot({ langs: { en, fr }, translocoConfig: { defaultLang: 'fr', availableLangs: ['en', 'fr'] } }),
      ],
    });
    const fixture = TestBed.createComponent(RolesTest);
    await fixture.whenStable();
    const shown = () => [...(fixture.nativeElement as HTMLElement).querySelectorAll('span')].map((s) => s.textContent);
    expect(shown()).toEqual(['Membre', 'Support desk', 'Viewer']);
    expect(TestBed.inject(RoleNames).name({ key: 'ADMIN', name: 'Admin' })).toBe('Administrateur');

    TestBed.inject(TranslocoService).setActiveLang('en');
    await fixture.whenStable();
    expect(shown()).toEqual(['Member', 'Support desk', 'Viewer']);
  });
});
