import { ChangeDetectionStrategy, Component, ElementRef, input, signal, viewChild } from '@angular/core';
import { outputFromObservable } from '@angular/core/rxjs-interop';
import { MatIconButton } from '@angular/material/button';
import { MatFormField, MatLabel, MatPrefix, MatSuffix } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { TranslocoPipe } from '@jsverse/transloco';
import { debounceTime, distinctUntilChanged, Subject } from 'rxjs';

/** How long typing pauses before a list is asked again. */
export const SEARCH_DEBOUNCE_MS = 300;

/**
 * The search box above a list: a search icon, a button that clears it, and `search` emitted with the
 * trimmed text once typing pauses (never twice the same text in a row).
 */
@Component({
  selector: 'ro-search-field',
  imports: [MatFormField, MatLabel, MatPrefix, MatSuffix, MatInput, MatIcon, MatIconButton, TranslocoPipe],
  template: `
    <mat-form-field subscriptSizing="dynamic">
      <mat-label>{{ label() | transloco }}</mat-label>
      <mat-icon matPrefix>search</mat-icon>
      <input #box matInput type="search" (input)="typed(box.value)" [attr.data-testid]="testId()" />
      @if (text()) {
        <button mat-icon-button matSuffix type="button" (click)="clear()" [attr.aria-label]="clearLabel() | transloco">
          <mat-icon>close</mat-icon>
        </button>
      }
    </mat-form-field>
  `,
  // A flexible item of the filters' row; a line of its own on a phone.
  styles: `
    :host {
      display: block;
      flex: 1 1 260px;
      max-width: 480px;
    }
    mat-form-field {
      width: 100%;
    }
    @media (max-width: 600px) {
      :host {
        flex-basis: 100%;
        max-width: none;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SearchField {
  /** Translation keys of the field's label and of the clear button's name. */
  readonly label = input.required<string>();
  readonly clearLabel = input.required<string>();
  readonly testId = input<string | null>(null);
  private readonly input = viewChild.required<ElementRef<HTMLInputElement>>('box');
  /** What the box holds now. */
  protected readonly text = signal('');
  private readonly changes = new Subject<string>();
  readonly search = outputFromObservable(this.changes.pipe(debounceTime(SEARCH_DEBOUNCE_MS), distinctUntilChanged()));

  protected typed(value: string): void {
    this.text.set(value);
    this.changes.next(value.trim());
  }

  protected clear(): void {
    this.input().nativeElement.value = '';
    this.typed('');
    this.input().nativeElement.focus();
  }
}
