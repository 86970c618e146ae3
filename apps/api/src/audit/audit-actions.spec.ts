import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AUDIT_ACTION_NAMES, type AuditAction, isAuditAction, WEBHOOK_EVENT_TYPES } from '@roster/contracts/audit-actions';

/**
 * Catalogued actions no source records yet (none today): an action catalogued ahead of the change that
 * records it is listed here until then — the scan then fails if it is left.
 */
const RECORDED_LATER: readonly AuditAction[] = [];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** The catalogued actions named in a source that records audit events (as the argument, or a value handed to it). */
function recordedActions(): Set<string> {
  const found = new Set<string>();
  for (const file of sources(join(__dirname, '..'))) {
    const text = readFileSync(file, 'utf8');
    if (!/\.record\(/.test(text)) continue;
    for (const m of text.matchAll(/'([a-z0-9_]+\.[a-z0-9_]+)'/g)) if (isAuditAction(m[1])) found.add(m[1]);
  }
  return found;
}

describe('audit actions', () => {
  const recorded = recordedActions();

  it('records every catalogued action somewhere', () => {
    expect(recorded.size).toBeGreaterThan(40);
    expect(AUDIT_ACTION_NAMES.filter((a) => !recorded.has(a) && !RECORDED_LATER.includes(a))).toEqual([]);
  });

  it('lists as recorded later only actions that nothing records yet', () => {
    expect(RECORDED_LATER.filter((a) => recorded.has(a))).toEqual([]);
  });

  it('offers webhooks the organization actions, and no platform one', () => {
    expect(WEBHOOK_EVENT_TYPES).toContain('team.created');
    expect(WEBHOOK_EVENT_TYPES).toContain('audit.exported');
    expect(WEBHOOK_EVENT_TYPES).toContain('webhook_endpoint.created');
    expect(WEBHOOK_EVENT_TYPES.filter((a) => a.startsWith('organization.') || a.startsWith('operator.'))).toEqual([]);
    expect([...WEBHOOK_EVENT_TYPES].sort()).toEqual(WEBHOOK_EVENT_TYPES);
  });
});
