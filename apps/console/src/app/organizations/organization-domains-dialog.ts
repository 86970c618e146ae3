import { afterNextRender, ChangeDetectionStrategy, Component, ElementRef, inject, Injector, signal, viewChild } from '@angular/core';
import { COMMA, ENTER, SPACE } from '@angular/cdk/keycodes';
import { FormsModule } from '@angular/forms';
import {
  MAT_DIALOG_DATA,
  MatDialogActions,
  MatDialogClose,
  MatDialogContent,
  MatDialogRef,
  MatDialogTitle,
} from '@angular/material/dialog';
import { MatChipGrid, MatChipInput, MatChipInputEvent, MatChipRemove, MatChipRow } from '@angular/material/chips';
import { ErrorStateMatcher } from '@angular/material/core';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { OrganizationRowFragment, SetOrganizationDomainsGQL } from '@roster/console/data-access/generated';
import { FormStatus } from '../shared/form-status';
import { Submission } from '../shared/submission';
import { organizationErrorKey } from './organization-errors';
import { DomainProblem, domainProblemKey, domainProblemOf, DOMAINS_MAX, isDomain, splitDomains } from './organization-domains';

/**
 * An organization's email domains, for operators: chips to remove, a field to add one (Enter, a comma
 * or a space ends it; several may be pasted at once), then Save gives the organization exactly these.
 * A malformed domain, too many, or one another organization has (DOMAIN_TAKEN) is said beside the
 * list. Closes with the domains saved, or nothing when cancelled or unchanged.
 */
@Component({
  selector: 'ro-organization-domains-dialog',
  imports: [
    FormsModule,
    MatDialogTitle,
    MatDialogContent,
    MatDialogActions,
    MatDialogClose,
    MatChipGrid,
    MatChipRow,
    MatChipRemove,
    MatChipInput,
    MatFormField,
    MatLabel,
    MatHint,
    MatError,
    MatButton,
    MatIcon,
    TranslocoPipe,
    FormStatus,
  ],
  template: `
    <h2 mat-dialog-title>{{ 'organizations.domainsTitle' | transloco: { name: organization.name } }}</h2>
    <form (ngSubmit)="save()">
      <mat-dialog-content class="ro-form">
        <p class="ro-muted help">{{ 'organizations.domainsHelp' | transloco: { name: organization.name } }}</p>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label>{{ 'organizations.domains' | transloco }}</mat-label>
          <!-- The field beside the grid, not in it: a grid holds only rows (its chips). -->
          <mat-chip-grid #grid [errorStateMatcher]="matcher" [disabled]="busy()" data-testid="domain-chips">
            @for (domain of domains(); track domain) {
              <mat-chip-row (removed)="remove(domain)" [class.taken]="domain === problem()?.domain" [attr.data-domain]="domain">
                {{ domain }}
                <button matChipRemove type="button" [attr.aria-label]="'organizations.removeDomain' | transloco: { domain }">
                  <mat-icon>cancel</mat-icon>
                </button>
              </mat-chip-row>
            }
          </mat-chip-grid>
          <input
            #input
            [matChipInputFor]="grid"
            [matChipInputSeparatorKeyCodes]="separators"
            [matChipInputAddOnBlur]="true"
            (matChipInputTokenEnd)="add($event)"
            (input)="typing()"
            [attr.aria-invalid]="problem() ? 'true' : null"
            [placeholder]="'organizations.domainPlaceholder' | transloco"
            autocomplete="off"
            autocapitalize="none"
            spellcheck="false"
            cdkFocusInitial
            data-testid="domain-input"
          />
          @if (problem(); as p) {
            <mat-error data-testid="domains-error">{{ problemKey(p) | transloco: { domain: p.domain, max: max } }}</mat-error>
          } @else {
            <mat-hint>{{ 'organizations.domainsHint' | transloco: { max: max } }}</mat-hint>
          }
        </mat-form-field>
        <ro-form-status [error]="error()" [busy]="busy()" />
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>{{ 'common.cancel' | transloco }}</button>
        <button mat-flat-button type="submit" [disabled]="busy()">{{ 'organizations.save' | transloco }}</button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    // As wide as the dialog may be on a phone (95% of the screen), 520 px at most.
    .ro-form {
      box-sizing: border-box;
      width: 520px;
      max-width: 100%;
    }
    .help {
      margin: 0 0 12px;
    }
    mat-chip-row {
      max-width: 100%;
    }
    // The domain another organization has, or the API refused.
    mat-chip-row.taken {
      --mat-chip-outline-color: var(--mat-sys-error);
      --mat-chip-label-text-color: var(--mat-sys-on-error-container);
      --mat-chip-elevated-container-color: var(--mat-sys-error-container);
      --mat-chip-with-trailing-icon-trailing-icon-color: var(--mat-sys-on-error-container);
    }
    input {
      min-width: 12ch;
    }
    mat-hint,
    mat-error {
      overflow-wrap: anywhere;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OrganizationDomainsDialog {
  protected readonly organization = inject<OrganizationRowFragment>(MAT_DIALOG_DATA);
  private readonly setGql = inject(SetOrganizationDomainsGQL);
  private readonly ref = inject(MatDialogRef<OrganizationDomainsDialog, string[]>);
  private readonly injector = inject(Injector);
  private readonly submission = new Submission();
  protected readonly busy = this.submission.busy;
  protected readonly error = this.submission.error;
  protected readonly max = DOMAINS_MAX;
  protected readonly separators = [ENTER, COMMA, SPACE];
  protected readonly problemKey = domainProblemKey;
  protected readonly domains = signal<string[]>([...this.organization.domains]);
  /** What is wrong, said under the list (and the chip it names, marked). */
  protected readonly problem = signal<DomainProblem | null>(null);
  /** The list shows as in error while there is a problem to say. */
  protected readonly matcher: ErrorStateMatcher = { isErrorState: () => this.problem() !== null };
  private readonly input = viewChild.required<ElementRef<HTMLInputElement>>('input');
  private readonly grid = viewChild.required(MatChipGrid);

  /** Adds what was typed (one domain or several); a malformed one stays in the field, said wrong. */
  add(event: MatChipInputEvent): void {
    if (this.addTyped(event.value)) event.chipInput.clear();
  }

  remove(domain: string): void {
    this.domains.update((list) => list.filter((d) => d !== domain));
    this.say(null);
  }

  /** Typing again takes back what was said about the text typed before. */
  typing(): void {
    if (this.problem()?.kind === 'INVALID') this.say(null);
  }

  async save(): Promise<void> {
    // A domain still in the field counts, as if Enter had been pressed.
    const field = this.input().nativeElement;
    if (field.value.trim()) {
      if (!this.addTyped(field.value)) {
        field.focus();
        return;
      }
      field.value = '';
    }
    const domains = this.domains();
    if (same(domains, this.organization.domains)) {
      this.ref.close();
      return;
    }
    await this.submission.run(
      async () => {
        const result = await firstValueFrom(this.setGql.mutate({ variables: { id: this.organization.id, domains } }));
        const saved = result.data?.setOrganizationDomains;
        if (!saved) throw result.error ?? new Error('no domains in the answer');
        this.ref.close(saved);
      },
      (e) => {
        const problem = domainProblemOf(e);
        if (!problem) {
          this.error.set(organizationErrorKey(e));
          return;
        }
        // Said beside the list, which the operator changes next (removing the domain clears it); the
        // field takes the focus once enabled again (it is disabled while saving).
        this.error.set(null);
        this.say(problem);
        afterNextRender(() => field.focus(), { injector: this.injector });
      },
    );
  }

  /** Says a problem, or takes it back (null); the list's error state follows (it has no form control to follow). */
  private say(problem: DomainProblem | null): void {
    this.problem.set(problem);
    this.grid().updateErrorState();
  }

  /** Adds the domains of a text; false (and the problem said) when one is malformed or there would be too many. */
  private addTyped(text: string): boolean {
    const typed = splitDomains(text);
    const bad = typed.find((d) => !isDomain(d));
    if (bad !== undefined) {
      this.say({ kind: 'INVALID', domain: bad });
      return false;
    }
    const next = [...this.domains()];
    for (const domain of typed) if (!next.includes(domain)) next.push(domain);
    if (next.length > DOMAINS_MAX) {
      this.say({ kind: 'TOO_MANY' });
      return false;
    }
    if (next.length !== this.domains().length) {
      this.domains.set(next);
      if (this.problem()?.kind !== 'TAKEN') this.say(null);
    }
    return true;
  }
}

/** The same domains, in any order. */
function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join() === [...b].sort().join();
}
