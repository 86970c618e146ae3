import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * Each top-level folder of the app is a feature (users/, audit/, profile/...), except two kits that
 * every feature may use: shared/ (components, pipes, helpers) and core/ (session, API, i18n, guards).
 * A feature never imports another feature's folder, and the kits import no feature: what two features
 * need goes to shared/ or core/; the app's root files (routes, config) are the only ones that wire
 * features together (e.g. OPEN_PROFILE in app.config.ts).
 */
const APP = __dirname;
const KITS = new Set(['shared', 'core']);

/** Every .ts and .scss file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|scss)$/.test(name) ? [path] : [];
  });
}

/** The relative specifiers of a file: `from '…'`, `import '…'`, `import('…')`, and SCSS `@use`/`@forward`/`@import`. */
export function relativeImports(text: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\bfrom\s+['"](\.[^'"]*)['"]/g,
    /\bimport\s*\(?\s*['"](\.[^'"]*)['"]/g,
    /@(?:use|forward|import)\s+['"](\.[^'"]*)['"]/g,
  ];
  for (const pattern of patterns) for (const m of text.matchAll(pattern)) found.push(m[1]);
  return found;
}

/** The app's top-level folder holding `path` (null: a file at the app's root, or outside the app). */
function folderOf(path: string): string | null {
  const parts = relative(APP, path).split(sep);
  return parts.length > 1 && parts[0] !== '..' ? parts[0] : null;
}

/** "users/x.ts → profile/y": the imports that cross from one feature into another, or from a kit into a feature. */
export function crossings(file: string, text: string): string[] {
  const from = folderOf(file);
  if (!from) return [];
  return relativeImports(text)
    .filter((spec) => {
      const to = folderOf(resolve(dirname(file), spec));
      return to !== null && to !== from && !KITS.has(to);
    })
    .map((spec) => `${relative(APP, file)} → ${spec}`);
}

describe('feature boundaries', () => {
  it('no feature imports another feature, and shared/ and core/ import none', () => {
    const bad = sources(APP).flatMap((file) => crossings(file, readFileSync(file, 'utf8')));
    expect(bad).toEqual([]);
  });

  it('sees static, dynamic and style imports across features', () => {
    const text = [
      "import { ProfileDialog } from '../profile/profile-dialog';",
      "const { UsersPage } = await import('../users/users-page');",
      "@use '../audit/audit-page';",
      "import { Notifier } from '../shared/notifier';",
      "import { Session } from '../core/session';",
      "import { UserExport } from './user-export';",
    ].join('\n');
    expect(crossings(join(APP, 'teams', 'teams-page.ts'), text)).toEqual([
      'teams/teams-page.ts → ../profile/profile-dialog',
      'teams/teams-page.ts → ../users/users-page',
      'teams/teams-page.ts → ../audit/audit-page',
    ]);
    expect(crossings(join(APP, 'shared', 'two-factor', 'two-factor.ts'), "import { X } from '../../auth/sign-in';")).toEqual([
      'shared/two-factor/two-factor.ts → ../../auth/sign-in',
    ]);
    // The root files wire features together.
    expect(crossings(join(APP, 'app.config.ts'), "await import('./profile/profile-dialog');")).toEqual([]);
  });
});
