import { ChangeDetectionStrategy, Component, inject, OnInit, signal } from '@angular/core';
import { MatTableModule } from '@angular/material/table';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatMenu, MatMenuContent, MatMenuItem, MatMenuTrigger } from '@angular/material/menu';
import { MatDialog } from '@angular/material/dialog';
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { DeleteTeamGQL, TeamsGQL, TeamsQuery } from '@roster/console/data-access/generated';
import { Permission } from '@roster/contracts/permissions';
import { errorKey } from '../core/api';
import { Session } from '../core/session';
import { Confirm } from '../shared/confirm-dialog';
import { FormStatus } from '../shared/form-status';
import { Notifier } from '../shared/notifier';
import { TableFrame } from '../shared/table-frame';
import { TeamNameDialog } from './team-name-dialog';

type Team = TeamsQuery['teams'][number];

/** Teams ("resource groups"): read with teams:read; create, rename, delete with teams:write. */
@Component({
  selector: 'ro-teams-page',
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
    TableFrame,
    FormStatus,
  ],
  template: `
    <div class="ro-page">
      <header class="ro-list-head">
        <h1>{{ 'teams.title' | transloco }}</h1>
        @if (canWrite) {
          <button mat-flat-button type="button" (click)="create()"><mat-icon>group_add</mat-icon>{{ 'teams.create' | transloco }}</button>
        }
      </header>
      <ro-table-frame [loading]="loading()">
        <table mat-table [dataSource]="teams()" [attr.aria-busy]="loading()">
          <ng-container matColumnDef="name">
            <th mat-header-cell *matHeaderCellDef>{{ 'teams.name' | transloco }}</th>
            <td mat-cell *matCellDef="let t">{{ t.name }}</td>
          </ng-container>
          <ng-container matColumnDef="members">
            <th mat-header-cell *matHeaderCellDef>{{ 'teams.members' | transloco }}</th>
            <td mat-cell *matCellDef="let t">{{ t.memberCount ?? 0 }}</td>
          </ng-container>
          <ng-container matColumnDef="actions">
            <th mat-header-cell *matHeaderCellDef>
              <span class="ro-visually-hidden">{{ 'teams.actions' | transloco }}</span>
            </th>
            <td mat-cell *matCellDef="let t" class="actions">
              @if (canWrite) {
                <button
                  mat-icon-button
                  type="button"
                  [matMenuTriggerFor]="menu"
                  [matMenuTriggerData]="{ t }"
                  [attr.aria-label]="'teams.actionsFor' | transloco: { name: t.name }"
                >
                  <mat-icon>more_vert</mat-icon>
                </button>
              }
            </td>
          </ng-container>
          <tr mat-header-row *matHeaderRowDef="columns"></tr>
          <tr mat-row *matRowDef="let t; columns: columns"></tr>
          <tr class="mat-row" *matNoDataRow>
            <td class="mat-cell ro-table-empty" [attr.colspan]="columns.length">
              @if (error()) {
                <ro-form-status [error]="error()" />
              } @else if (!loading()) {
                {{ 'teams.empty' | transloco }}
              }
            </td>
          </tr>
        </table>
      </ro-table-frame>
      <mat-menu #menu="matMenu">
        <ng-template matMenuContent let-t="t">
          <button mat-menu-item type="button" (click)="rename(t)"><mat-icon>edit</mat-icon>{{ 'teams.rename' | transloco }}</button>
          <button mat-menu-item type="button" (click)="remove(t)"><mat-icon>delete</mat-icon>{{ 'teams.delete' | transloco }}</button>
        </ng-template>
      </mat-menu>
    </div>
  `,
  styles: `
    ro-table-frame {
      margin-top: 12px;
    }
    .actions {
      text-align: right;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TeamsPage implements OnInit {
  private readonly teamsGql = inject(TeamsGQL);
  private readonly deleteGql = inject(DeleteTeamGQL);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);
  private readonly confirm = inject(Confirm);
  protected readonly canWrite = inject(Session).can(Permission.TeamsWrite);
  protected readonly columns = ['name', 'members', 'actions'];
  protected readonly teams = signal<Team[]>([]);
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);

  ngOnInit(): void {
    void this.load();
  }

  async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      const result = await firstValueFrom(this.teamsGql.fetch({ fetchPolicy: 'network-only' }));
      this.teams.set(result.data?.teams ?? []);
    } catch (e) {
      this.error.set(errorKey(e));
    } finally {
      this.loading.set(false);
    }
  }

  create(): void {
    this.afterSave(this.dialog.open(TeamNameDialog, { maxWidth: '95vw' }).afterClosed(), 'teams.created');
  }

  rename(team: Team): void {
    this.afterSave(this.dialog.open(TeamNameDialog, { data: team, maxWidth: '95vw' }).afterClosed(), 'teams.renamed');
  }

  async remove(team: Team): Promise<void> {
    const data = { title: 'teams.deleteTitle', text: 'teams.deleteText', confirm: 'teams.delete', params: { name: team.name } };
    if (!(await this.confirm.ask(data))) return;
    const deleted = await this.notifier.attempt(async () => {
      await firstValueFrom(this.deleteGql.mutate({ variables: { id: team.id } }));
      this.notifier.say('teams.deleted');
    });
    if (deleted) void this.load();
  }

  private afterSave(closed: ReturnType<ReturnType<MatDialog['open']>['afterClosed']>, message: string): void {
    closed.subscribe((saved) => {
      if (!saved) return;
      this.notifier.say(message);
      void this.load();
    });
  }
}
