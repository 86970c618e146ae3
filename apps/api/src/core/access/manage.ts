import { ErrorCode } from '@roster/contracts/errors';
import { canGrantRole } from '@roster/contracts/permissions';
import { AppError } from '../app-error';
import type { Principal } from './principal';

/** A person acts on themselves, or on people whose role (its permissions) they could grant; FORBIDDEN otherwise. */
export function assertMayManage(actor: Principal, targetId: string, targetPermissions: readonly string[]): void {
  if (targetId !== actor.userId && !canGrantRole(actor.permissions, targetPermissions)) {
    throw new AppError(ErrorCode.Forbidden, 'You cannot manage this person.');
  }
}
