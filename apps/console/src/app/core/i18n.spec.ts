import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode } from '@roster/contracts/errors';

type Tree = { [key: string]: string | Tree };

function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : keys(v, `${prefix}${k}.`)));
}

const load = (lang: string): Tree => JSON.parse(readFileSync(join(__dirname, '../../../public/i18n', `${lang}.json`), 'utf8')) as Tree;

describe('translations', () => {
  const en = keys(load('en'));
  const fr = keys(load('fr'));

  it('has every English key in French', () => {
    expect(en.filter((k) => !fr.includes(k))).toEqual([]);
  });

  it('has every French key in English', () => {
    expect(fr.filter((k) => !en.includes(k))).toEqual([]);
  });

  it('translates every API error code', () => {
    const codes = Object.values(ErrorCode).map((c) => `errors.${c}`);
    expect(codes.filter((k) => !en.includes(k))).toEqual([]);
  });
});
