import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedFolderOnTheWay } from './embedded-db';

describe('closedFolderOnTheWay (can the unprivileged postgres user reach a path?)', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'roster-reach-'));
    chmodSync(root, 0o755);
  });
  afterEach(() => {
    chmodSync(root, 0o755);
    rmSync(root, { recursive: true, force: true });
  });

  it('names the folder only its owner may enter, however deep the path below it', () => {
    const closed = join(root, 'clone');
    mkdirSync(join(closed, 'node_modules', 'x'), { recursive: true });
    chmodSync(closed, 0o700);
    expect(closedFolderOnTheWay(join(closed, 'node_modules', 'x'))).toBe(closed);
    expect(closedFolderOnTheWay(join(closed, 'not-yet-made'))).toBe(closed);
  });

  it('is null when every folder on the way may be entered', () => {
    mkdirSync(join(root, 'open', 'data'), { recursive: true });
    expect(closedFolderOnTheWay(join(root, 'open', 'data'))).toBeNull();
  });
});
