import { likeFor } from '../core/database/compare-sql';
import { membersFilterSql, trigramLed } from '../users/members-filter';
import { parseFilter } from './filter';

const ORG = '7c1e0d2a-5b3f-4a6e-9d8c-1f2e3d4c5b6a';
const ID = '0b9a3f1e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
const ROLES = [
  { id: '11111111-1111-4111-8111-111111111111', key: 'ADMIN', name: 'Admin' },
  { id: '22222222-2222-4222-8222-222222222222', key: 'MANAGER', name: 'Manager' },
  { id: '33333333-3333-4333-8333-333333333333', key: 'HELPDESK', name: 'Help desk' },
];

/** The SQL of a SCIM filter on `m`, after the organization's `$1`. */
function sql(filter: string): { where: string; params: unknown[] } {
  const params: unknown[] = [ORG];
  const where = membersFilterSql(parseFilter('User', filter), 'm', params, ROLES);
  return { where, params };
}

/** The filters as users/members-filter.ts writes them (beside the parser: users/ imports nothing of scim/ at run time). */
describe('SCIM user filters as SQL on memberships', () => {
  it('keeps the organization as $1 and appends the values as parameters, never in the text', () => {
    const { where, params } = sql(`userName eq "Robert'); DROP TABLE users; --" or externalId eq "x"`);
    expect(params[0]).toBe(ORG);
    expect(params.slice(1)).toEqual(["robert'); drop table users; --", 'x']);
    expect(where).toBe('((m.email = $2) OR (m.external_id = $3 AND m.external_id IS NOT NULL))');
  });

  it('compiles each field to its column, case-insensitive texts lower-cased', () => {
    expect(sql('name.givenName sw "Ad"').where).toBe(`(lower(m.first_name) LIKE $2 AND m.first_name <> '')`);
    expect(sql('name.givenName sw "Ad"').params[1]).toBe('ad%');
    expect(sql('displayName ew "x"').where).toBe(
      `(lower(COALESCE(m.display_name, btrim(concat_ws(' ', m.first_name, m.last_name)))) LIKE $2 AND COALESCE(m.display_name, btrim(concat_ws(' ', m.first_name, m.last_name))) <> '')`,
    );
    expect(sql('meta.lastModified ge "2026-01-01T00:00:00Z"').where).toBe('(m.updated_at >= $2::timestamptz)');
    expect(sql('meta.lastModified gt "2026-01-01T00:00:00Z"').params[1]).toBe('2026-01-01T00:00:00.000Z');
    expect(sql('meta.created lt "2026-01-01T00:00:00Z"').where).toBe('(m.joined_at < $2::timestamptz)');
    expect(sql('active eq false').where).toBe(`(m.status = 'DEACTIVATED')`);
    expect(sql('active ne false').where).toBe(`(m.status = 'ACTIVE')`);
    expect(sql(`id eq "${ID.toUpperCase()}"`)).toEqual({ where: '(m.user_id = $2::uuid)', params: [ORG, ID] });
    expect(sql(`groups.value eq "${ID}"`).where).toBe(
      'EXISTS (SELECT 1 FROM user_teams ut WHERE ut.organization_id = m.organization_id AND ut.user_id = m.user_id AND ut.team_id = $2::uuid)',
    );
  });

  it('answers "not identical" for ne on a nullable column, and two-valued logic everywhere', () => {
    expect(sql('externalId ne "x"').where).toBe('(m.external_id IS DISTINCT FROM $2)');
    expect(sql('not (externalId co "x")').where).toBe('(NOT (m.external_id LIKE $2 AND m.external_id IS NOT NULL))');
    expect(sql('externalId pr').where).toBe('(m.external_id IS NOT NULL)');
  });

  it('never casts a malformed id: an id that is not a uuid matches nobody (ne: everybody)', () => {
    expect(sql('id eq "nope"')).toEqual({ where: 'FALSE', params: [ORG] });
    expect(sql('id ne "nope"')).toEqual({ where: 'TRUE', params: [ORG] });
    expect(sql('groups.value eq "nope"').where).toBe('FALSE');
  });

  it('matches roles by key or name, case-insensitive, as role ids', () => {
    expect(sql('roles.value eq "manager"').params[1]).toEqual([ROLES[1].id]);
    expect(sql('roles.value eq "help DESK"').params[1]).toEqual([ROLES[2].id]);
    expect(sql('roles.display sw "ma"').params[1]).toEqual([ROLES[1].id]);
    expect(sql('roles.value ne "admin"').params[1]).toEqual([ROLES[1].id, ROLES[2].id]);
    expect(sql('roles.value eq "owner"')).toEqual({ where: 'FALSE', params: [ORG] });
    expect(sql('roles.value eq "manager"').where).toBe('(m.role_id = ANY($2::uuid[]))');
  });

  it('compares columns bare (on their indexes), never NULL: a nullable one beside IS NOT NULL', () => {
    expect(sql('userName eq "A@x.test"').where).toBe('(m.email = $2)');
    expect(sql('externalId eq "00u1"').where).toBe('(m.external_id = $2 AND m.external_id IS NOT NULL)');
    expect(sql('meta.lastModified gt "2026-01-01T00:00:00Z"').where).toBe(`(m.updated_at >= ($2::timestamptz + interval '1 millisecond'))`);
    // The email's co, sw, ew: on the trigram index from 3 characters; shorter ones kept off it (no trigram).
    expect(sql('userName co "abc"').where).toBe('(m.email LIKE $2)');
    expect(sql('userName sw "ab"').where).toBe("((m.email || '') LIKE $2)");
  });

  it('says which filters the email trigram index leads (read by the term alone in a large organization)', () => {
    const led = (filter: string) => trigramLed(parseFilter('User', filter));
    expect(led('userName co "abc"')).toBe(true);
    expect(led('emails[type eq "work"].value sw "abc"')).toBe(true);
    expect(led('userName ew "abc" and active eq true')).toBe(true);
    expect(led('userName co "abc" or userName sw "def"')).toBe(true);
    expect(led('userName co "ab"')).toBe(false);
    expect(led('userName co "abc" or externalId eq "x"')).toBe(false);
    expect(led('not (userName co "abc")')).toBe(false);
    expect(led('userName eq "a@b.test"')).toBe(false);
    expect(led('name.givenName co "abc"')).toBe(false);
  });

  it('treats a name held as empty as absent: every comparison but ne requires it, beside the bare one', () => {
    expect(sql('name.givenName lt "b"').where).toBe(`(lower(m.first_name) < $2 AND m.first_name <> '')`);
    expect(sql('name.familyName eq ""').where).toBe(`(lower(m.last_name) = $2 AND m.last_name <> '')`);
    expect(sql('name.formatted co ""').where).toBe(
      `(lower(btrim(concat_ws(' ', m.first_name, m.last_name))) LIKE $2 AND btrim(concat_ws(' ', m.first_name, m.last_name)) <> '')`,
    );
    // "Not identical": an absent name is not the value.
    expect(sql('name.givenName ne "a"').where).toBe('(lower(m.first_name) <> $2)');
    // Not "" either: everyone, whether they hold one or not.
    expect(sql('name.givenName ne ""')).toEqual({ where: 'TRUE', params: [ORG] });
    expect(sql('displayName ne " "')).toEqual({ where: 'TRUE', params: [ORG] });
    expect(sql('userName lt "b"').where).toBe('(m.email < $2)');
  });

  it('compares dates to the millisecond shown, as ranges on the bare column', () => {
    const next = `($2::timestamptz + interval '1 millisecond')`;
    const at = '"2026-01-01T00:00:00.123Z"';
    expect(sql(`meta.lastModified eq ${at}`).where).toBe(`(m.updated_at >= $2::timestamptz AND m.updated_at < ${next})`);
    expect(sql(`meta.lastModified ne ${at}`).where).toBe(`(m.updated_at < $2::timestamptz OR m.updated_at >= ${next})`);
    expect(sql(`meta.created gt ${at}`).where).toBe(`(m.joined_at >= ${next})`);
    expect(sql(`meta.created ge ${at}`).where).toBe('(m.joined_at >= $2::timestamptz)');
    expect(sql(`meta.created lt ${at}`).where).toBe('(m.joined_at < $2::timestamptz)');
    expect(sql(`meta.created le ${at}`).where).toBe(`(m.joined_at < ${next})`);
  });

  it('escapes LIKE wildcards in co, sw and ew', () => {
    expect(likeFor('co', '50%_off\\')).toBe('%50\\%\\_off\\\\%');
    expect(sql('userName co "a_b"').params[1]).toBe('%a\\_b%');
  });
});
