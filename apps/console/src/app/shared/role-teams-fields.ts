import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatOption, MatSelect } from '@angular/material/select';
import { TranslocoPipe } from '@jsverse/transloco';
import { RoleNamePipe } from './role-name';

interface Choice {
  id: string;
  name: string;
  key?: string | null;
}

/**
 * The Role select and the Resource groups (teams) multi-select of the invite and edit forms, bound
 * to the parent form's controls. A disabled role control (editing yourself) shows locked.
 */
@Component({
  selector: 'ro-role-teams-fields',
  imports: [ReactiveFormsModule, MatFormField, MatLabel, MatError, MatHint, MatSelect, MatOption, TranslocoPipe, RoleNamePipe],
  template: `
    <mat-form-field>
      <mat-label>{{ 'invite.role' | transloco }}</mat-label>
      <mat-select [formControl]="role()" required>
        @for (r of roles(); track r.id) {
          <mat-option [value]="r.id">{{ r | roleName }}</mat-option>
        }
      </mat-select>
      @if (roleHint(); as hint) {
        <mat-hint>{{ hint | transloco }}</mat-hint>
      }
      <mat-error>{{ 'common.required' | transloco }}</mat-error>
    </mat-form-field>
    <mat-form-field>
      <mat-label>{{ 'invite.teams' | transloco }}</mat-label>
      <mat-select [formControl]="teamIds()" multiple>
        @for (team of teams(); track team.id) {
          <mat-option [value]="team.id">{{ team.name }}</mat-option>
        }
      </mat-select>
      @if (teamsHint(); as hint) {
        <mat-hint>{{ hint | transloco }}</mat-hint>
      }
    </mat-form-field>
  `,
  styles: ':host { display: contents; }',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RoleTeamsFields {
  readonly role = input.required<FormControl<string>>();
  readonly teamIds = input.required<FormControl<string[]>>();
  /** The roles offered (those the signed-in person may grant, and the current one when editing). */
  readonly roles = input.required<readonly Choice[]>();
  readonly teams = input.required<readonly Choice[]>();
  /** Translation keys of the hints under each field, if any. */
  readonly roleHint = input<string | null>(null);
  readonly teamsHint = input<string | null>(null);
}
