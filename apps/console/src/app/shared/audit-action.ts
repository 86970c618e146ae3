import { isAuditAction } from '@roster/contracts/audit-actions';

/**
 * The translation key of an action of the shared catalogue (dots become underscores: Transloco keys nest on
 * dots); null for any other, which pages show as recorded. The audit log names events with it, and the
 * webhooks pages their event types.
 */
export function actionKey(action: string): string | null {
  return isAuditAction(action) ? `audit.actions.${action.replace(/\./g, '_')}` : null;
}
