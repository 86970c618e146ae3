import { ChangeDetectionStrategy, Component, computed, inject, OnInit, signal } from '@angular/core';
import { MatTableModule } from '@angular/material/table';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatMenu, MatMenuContent, MatMenuItem, MatMenuTrigger } from '@angular/material/menu';
import { MatDialog } from '@angular/material/dialog';
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom, Observable } from 'rxjs';
import { RoleRowFragment, RolesPageGQL } from '@roster/console/data-access/generated';
import { canGrantRole, Permission } from '@roster/contracts/permissions';
import { errorKey } from '../core/api';
import { Session } from '../core/session';
import { FormStatus } from '../shared/form-status';
import { Notifier } from '../shared/notifier';
import { RoleNamePipe } from '../shared/role-name';
import { TableFrame } from '../shared/table-frame';
import { DeleteRoleData, DeleteRoleDialog } from './delete-role-dialog';
import { RoleDialog } from './role-dialog';
import { PermissionInfo, RoleFormData } from './role-form';

type Role = RoleRowFragment;

/**
 * Roles: the built-in roles, then the organization's own, read with roles:read. With roles:manage:
 * create, duplicate any role, edit and delete a custom one (within the person's own permissions).
 */
@Component({
  selector: 'ro-roles-page',
  imports: [
    MatTableModule,
    MatButton,
    MatIconButton,
    MatIcon,
    MatMenu,
    MatMenuContent,
    MatMenuItem,
    MatMenuTrigger,
    TranslocoPipe,
    RoleNamePipe,
    TableFrame,
    FormStatus,
  ],
  template: `
    <div class="ro-page">
      <header class="ro-list-head">
        <h1>{{ 'rolesPage.title' | transloco }}</h1>
        @if (canManage) {
          <button mat-flat-button type="button" (click)="create()" [disabled]="loading()">
            <mat-icon>add</mat-icon>{{ 'rolesPage.createTitle' | transloco }}
          </button>
        }
      </header>
      <p class="intro">{{ 'rolesPage.intro' | transloco }}</p>
      <ro-table-frame [loading]="loading()">
        <table mat-table [dataSource]="roles()" [attr.aria-busy]="loading()">
          <ng-container matColumnDef="name">
            <th mat-header-cell *matHeaderCellDef>{{ 'rolesPage.name' | transloco }}</th>
            <td mat-cell *matCellDef="let r">
              <span class="name">{{ r | roleName }}</span>
              @if (r.builtIn) {
                <span class="badge">{{ 'rolesPage.builtIn' | transloco }}</span>
              }
              @if (r.description) {
                <span class="description">{{ r.description }}</span>
              }
              <span class="description holders-inline">{{ 'rolesPage.holdersInline' | transloco: { count: r.holders } }}</span>
            </td>
          </ng-container>
          <ng-container matColumnDef="permissions">
            <th mat-header-cell *matHeaderCellDef>{{ 'rolesPage.permissions' | transloco }}</th>
            <td mat-cell *matCellDef="let r" [attr.title]="labels(r)">
              <span class="level">{{ 'levels.' + r.permissionLevel | transloco }}</span>
              <span class="description">{{
                'rolesPage.permissionCount' | transloco: { count: r.permissions.length, total: vocabulary().length }
              }}</span>
            </td>
          </ng-container>
          <ng-container matColumnDef="holders">
            <th mat-header-cell *matHeaderCellDef class="number">{{ 'rolesPage.holders' | transloco }}</th>
            <td mat-cell *matCellDef="let r" class="number">{{ r.holders }}</td>
          </ng-container>
          <ng-container matColumnDef="actions">
            <th mat-header-cell *matHeaderCellDef>
              <span class="ro-visually-hidden">{{ 'rolesPage.actions' | transloco }}</span>
            </th>
            <td mat-cell *matCellDef="let r" class="actions">
              @if (canManage) {
                <button
                  mat-icon-button
                  type="button"
                  [matMenuTriggerFor]="menu"
                  [matMenuTriggerData]="{ r }"
                  [attr.aria-label]="'rolesPage.actionsFor' | transloco: { name: r | roleName }"
                >
                  <mat-icon>more_vert</mat-icon>
                </button>
              }
            </td>
          </ng-container>
          <tr mat-header-row *matHeaderRowDef="columns"></tr>
          <tr mat-row *matRowDef="let r; columns: columns" [attr.data-role]="r.name"></tr>
          <tr class="mat-row" *matNoDataRow>
            <td class="mat-cell ro-table-empty" [attr.colspan]="columns.length">
              @if (error()) {
                <ro-form-status [error]="error()" />
              }
            </td>
          </tr>
        </table>
      </ro-table-frame>
      <mat-menu #menu="matMenu">
        <ng-template matMenuContent let-r="r">
          @if (!r.builtIn && mayChange(r)) {
            <button mat-menu-item type="button" (click)="edit(r)"><mat-icon>edit</mat-icon>{{ 'rolesPage.edit' | transloco }}</button>
          }
          <button mat-menu-item type="button" (click)="duplicate(r)">
            <mat-icon>content_copy</mat-icon>{{ 'rolesPage.duplicate' | transloco }}
          </button>
          @if (!r.builtIn && mayChange(r)) {
            <button mat-menu-item type="button" (click)="remove(r)"><mat-icon>delete</mat-icon>{{ 'rolesPage.delete' | transloco }}</button>
          }
        </ng-template>
      </mat-menu>
    </div>
  `,
  styles: `
    .intro {
      margin: 0 0 12px;
      color: var(--mat-sys-on-surface-variant);
    }
    td.mat-mdc-cell {
      padding-top: 8px;
      padding-bottom: 8px;
    }
    .name,
    .level {
      font: var(--mat-sys-body-large);
    }
    .badge {
      display: inline-block;
      margin-left: 8px;
      padding: 0 8px;
      border-radius: 8px;
      font: var(--mat-sys-label-small);
      line-height: 20px;
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
      vertical-align: middle;
    }
    .description {
      display: block;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
    .number {
      text-align: right;
    }
    .actions {
      text-align: right;
      width: 48px;
    }
    .holders-inline {
      display: none;
    }
    // A phone: the people count moves under the name, so that the actions stay on screen.
    @media (max-width: 600px) {
      .holders-inline {
        display: block;
      }
      .mat-column-holders {
        display: none;
      }
      td.mat-mdc-cell,
      th.mat-mdc-header-cell {
        padding-left: 8px;
        padding-right: 8px;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RolesPage implements OnInit {
  private readonly rolesGql = inject(RolesPageGQL);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);
  private readonly session = inject(Session);
  protected readonly canManage = this.session.can(Permission.RolesManage);
  protected readonly columns = ['name', 'permissions', 'holders', 'actions'];
  protected readonly roles = signal<Role[]>([]);
  protected readonly vocabulary = signal<PermissionInfo[]>([]);
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);
  private readonly mine = computed(() => this.session.me()?.permissions ?? []);
  private readonly labelOf = computed(() => new Map(this.vocabulary().map((p) => [p.key, p.label])));

  ngOnInit(): void {
    void this.load();
  }

  async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      const result = await firstValueFrom(this.rolesGql.fetch({ fetchPolicy: 'network-only' }));
      this.roles.set(result.data?.roles ?? []);
      this.vocabulary.set(result.data?.permissions ?? []);
    } catch (e) {
      this.error.set(errorKey(e));
    } finally {
      this.loading.set(false);
    }
  }

  /** The role's permissions by their labels (the cell's tooltip). */
  protected labels(role: Role): string {
    return role.permissions.map((p) => this.labelOf().get(p) ?? p).join(', ');
  }

  /** Only a role within the person's own permissions may be edited or deleted (ROLE_NOT_GRANTABLE). */
  protected mayChange(role: Role): boolean {
    return canGrantRole(this.mine(), role.permissions);
  }

  create(): void {
    this.afterSave(this.open({}), 'rolesPage.created');
  }

  duplicate(role: Role): void {
    this.afterSave(this.open({ copyOf: role }), 'rolesPage.created');
  }

  edit(role: Role): void {
    this.afterSave(this.open({ edit: role }), 'rolesPage.saved');
  }

  remove(role: Role): void {
    const replacements = this.roles().filter((r) => r.id !== role.id && canGrantRole(this.mine(), r.permissions));
    const data: DeleteRoleData = { role, replacements };
    this.afterSave(this.dialog.open(DeleteRoleDialog, { data, width: '480px', maxWidth: '95vw' }).afterClosed(), 'rolesPage.deleted');
  }

  private open(start: Pick<RoleFormData, 'edit' | 'copyOf'>): Observable<unknown> {
    const data: RoleFormData = { ...start, vocabulary: this.vocabulary(), mine: this.mine() };
    return this.dialog.open(RoleDialog, { data, width: '560px', maxWidth: '95vw', autoFocus: 'first-tabbable' }).afterClosed();
  }

  private afterSave(closed: Observable<unknown>, message: string): void {
    closed.subscribe((saved) => {
      if (!saved) return;
      this.notifier.say(message);
      void this.load();
    });
  }
}
