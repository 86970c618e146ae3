import { ChangeDetectionStrategy, Component, computed, ElementRef, inject, signal, viewChild } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { AbstractControl, NonNullableFormBuilder, ReactiveFormsModule, ValidationErrors, Validators } from '@angular/forms';
import {
  MAT_DIALOG_DATA,
  MatDialogActions,
  MatDialogClose,
  MatDialogContent,
  MatDialogRef,
  MatDialogTitle,
} from '@angular/material/dialog';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatCheckbox } from '@angular/material/checkbox';
import { MatButton } from '@angular/material/button';
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import {
  CreateWebhookEndpointGQL,
  UpdateWebhookEndpointGQL,
  UpdateWebhookEndpointInput,
  WebhookEndpointFieldsFragment,
} from '@roster/console/data-access/generated';
import { actionKey } from '../shared/audit-action';
import { FormStatus } from '../shared/form-status';
import {
  DESCRIPTION_MAX,
  EndpointField,
  EndpointProblem,
  endpointName,
  endpointProblem,
  EventGroup,
  eventGroups,
  URL_MAX,
  urlValidator,
} from './webhook-form';

export interface WebhookDialogData {
  /** The endpoint to edit; none: add one. */
  readonly endpoint?: WebhookEndpointFieldsFragment;
  /** The event types an endpoint may receive (`webhookEventTypes`). */
  readonly eventTypes: readonly string[];
}

/** What the dialog closes with once saved: the endpoint, and for a new one its signing secret. */
export type WebhookDialogResult =
  | { readonly created: true; readonly endpoint: WebhookEndpointFieldsFragment; readonly secret: string }
  | { readonly created: false; readonly endpoint: WebhookEndpointFieldsFragment };

const atLeastOne = (control: AbstractControl<string[]>): ValidationErrors | null => (control.value?.length ? null : { required: true });

/**
 * Adds a webhook endpoint, or edits one: its URL, a description, and the events it receives, as a
 * checklist by area (the audit log's words and each event's name) with "all" per area. What the API
 * refuses is said on its field: the URL (not https, not public), the list (an unknown event type).
 */
@Component({
  selector: 'ro-webhook-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogTitle,
    MatDialogContent,
    MatDialogActions,
    MatDialogClose,
    MatFormField,
    MatLabel,
    MatHint,
    MatError,
    MatInput,
    MatCheckbox,
    MatButton,
    TranslocoPipe,
    FormStatus,
  ],
  template: `
    <h2 mat-dialog-title>{{ title | transloco: { name: editedName } }}</h2>
    <form [formGroup]="form" (ngSubmit)="save()">
      <mat-dialog-content class="ro-form">
        <mat-form-field subscriptSizing="dynamic">
          <mat-label>{{ 'webhooks.url' | transloco }}</mat-label>
          <input
            #url
            matInput
            type="url"
            formControlName="url"
            [maxlength]="urlMax"
            required
            spellcheck="false"
            autocomplete="off"
            autocapitalize="none"
            placeholder="https://hooks.example.com/roster"
          />
          <mat-hint>{{ 'webhooks.urlHint' | transloco }}</mat-hint>
          <mat-error>{{ urlError() | transloco }}</mat-error>
        </mat-form-field>

        <mat-form-field subscriptSizing="dynamic">
          <mat-label>{{ 'webhooks.description' | transloco }}</mat-label>
          <textarea #description matInput rows="2" formControlName="description" [maxlength]="descriptionMax"></textarea>
          <mat-hint>{{ 'webhooks.descriptionHint' | transloco }}</mat-hint>
          <mat-error>{{ form.controls.description.errors?.['server'] ?? 'webhooks.invalid.description' | transloco }}</mat-error>
        </mat-form-field>

        <div
          class="events"
          role="group"
          aria-labelledby="webhook-events-label"
          [attr.aria-describedby]="typesError() ? 'webhook-events-error' : null"
        >
          <div class="events-head">
            <span class="events-label" id="webhook-events-label">{{ 'webhooks.eventTypes' | transloco }}</span>
            <span class="ro-muted count" aria-live="polite" data-testid="webhook-events-count">{{
              'webhooks.eventsChosen' | transloco: { count: chosen().size, total: data.eventTypes.length }
            }}</span>
          </div>
          @for (group of groups; track group.area) {
            <section
              class="group"
              role="group"
              [attr.aria-label]="'webhooks.areas.' + group.area | transloco"
              [attr.data-area]="group.area"
            >
              <mat-checkbox
                class="all"
                [checked]="allOf(group)"
                [indeterminate]="someOf(group)"
                (change)="toggleGroup(group, $event.checked)"
                [attr.data-testid]="'webhook-area-' + group.area"
                >{{ 'webhooks.areas.' + group.area | transloco }}</mat-checkbox
              >
              <div class="types">
                @for (type of group.types; track type) {
                  <mat-checkbox [checked]="chosen().has(type)" (change)="toggle(type, $event.checked)" [attr.data-type]="type">
                    <span class="type">
                      @if (words(type); as key) {
                        <span>{{ key | transloco }}</span>
                      }
                      <code>{{ type }}</code>
                    </span>
                  </mat-checkbox>
                }
              </div>
            </section>
          }
          @if (typesError(); as key) {
            <p class="ro-error" role="alert" id="webhook-events-error" data-testid="webhook-events-error">
              {{ key.key | transloco: key.params }}
            </p>
          }
        </div>

        @if (problem(); as p) {
          <p class="ro-error" role="alert" data-testid="webhook-error">{{ p.key | transloco: p.params }}</p>
        }
        <ro-form-status [busy]="busy()" />
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>{{ 'common.cancel' | transloco }}</button>
        <button mat-flat-button type="submit" [disabled]="busy()">
          {{ (edited ? 'webhooks.save' : 'webhooks.add') | transloco }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    mat-form-field {
      margin-bottom: 8px;
    }
    mat-hint,
    mat-error {
      overflow-wrap: anywhere;
    }
    .events {
      display: flex;
      flex-direction: column;
      gap: 4px;
      margin-top: 4px;
    }
    .events-head {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      justify-content: space-between;
      gap: 4px 12px;
    }
    .events-label {
      font: var(--mat-sys-title-small);
    }
    .count {
      font: var(--mat-sys-body-small);
    }
    .group {
      padding: 4px 0 8px;
      border-top: 1px solid var(--mat-sys-outline-variant);
    }
    .all {
      font: var(--mat-sys-title-small);
    }
    /* Two columns of events where they fit, one on a phone; each under its area, indented. */
    .types {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(240px, 1fr));
      padding-inline-start: 28px;
    }
    .type {
      display: flex;
      flex-direction: column;
      line-height: 1.3;
      padding: 2px 0;
      code {
        font-size: 12px;
        color: var(--mat-sys-on-surface-variant);
        overflow-wrap: anywhere;
      }
    }
    @media (max-width: 600px) {
      .types {
        grid-template-columns: 1fr;
        padding-inline-start: 12px;
      }
    }
    .ro-error {
      margin: 4px 0 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WebhookDialog {
  protected readonly data = inject<WebhookDialogData>(MAT_DIALOG_DATA);
  protected readonly edited = this.data.endpoint ?? null;
  protected readonly editedName = this.edited ? endpointName(this.edited) : '';
  protected readonly title = this.edited ? 'webhooks.editTitle' : 'webhooks.addTitle';
  private readonly createGql = inject(CreateWebhookEndpointGQL);
  private readonly updateGql = inject(UpdateWebhookEndpointGQL);
  private readonly ref = inject(MatDialogRef<WebhookDialog, WebhookDialogResult>);
  private readonly urlField = viewChild.required<ElementRef<HTMLInputElement>>('url');
  private readonly descriptionField = viewChild.required<ElementRef<HTMLTextAreaElement>>('description');
  protected readonly urlMax = URL_MAX;
  protected readonly descriptionMax = DESCRIPTION_MAX;
  protected readonly groups: EventGroup[] = eventGroups(this.data.eventTypes);
  protected readonly busy = signal(false);
  /** What the API refused, when it is not about one field. */
  protected readonly problem = signal<EndpointProblem | null>(null);
  protected readonly form = inject(NonNullableFormBuilder).group({
    url: [this.edited?.url ?? '', [Validators.required, Validators.maxLength(URL_MAX), urlValidator]],
    description: [this.edited?.description ?? '', [Validators.maxLength(DESCRIPTION_MAX)]],
    // Types the API no longer offers are kept out: saving would be refused.
    eventTypes: [(this.edited?.eventTypes ?? []).filter((t) => this.data.eventTypes.includes(t)), [atLeastOne]],
  });
  private readonly types = toSignal(this.form.controls.eventTypes.valueChanges, { initialValue: this.form.controls.eventTypes.value });
  protected readonly chosen = computed(() => new Set(this.types()));
  /** The list's error, once it has been touched (or refused by the API). */
  private readonly typesProblem = signal<EndpointProblem | null>(null);
  private readonly typesTouched = signal(false);
  protected readonly typesError = computed(() => {
    const server = this.typesProblem();
    if (server) return server;
    return this.typesTouched() && this.chosen().size === 0 ? { key: 'webhooks.invalid.noType', params: {} } : null;
  });

  /** The audit log's words for an event type (null for one it does not know). */
  protected words(type: string): string | null {
    return actionKey(type);
  }

  protected urlError(): string {
    const errors = this.form.controls.url.errors ?? {};
    if (errors['server']) return errors['server'];
    if (errors['required']) return 'common.required';
    if (errors['maxlength']) return 'webhooks.invalid.urlTooLong';
    return 'webhooks.invalid.url';
  }

  protected allOf(group: EventGroup): boolean {
    const chosen = this.chosen();
    return group.types.every((t) => chosen.has(t));
  }

  protected someOf(group: EventGroup): boolean {
    const chosen = this.chosen();
    const count = group.types.filter((t) => chosen.has(t)).length;
    return count > 0 && count < group.types.length;
  }

  protected toggle(type: string, on: boolean): void {
    this.setTypes(on ? [...this.chosen(), type] : [...this.chosen()].filter((t) => t !== type));
  }

  protected toggleGroup(group: EventGroup, on: boolean): void {
    const others = [...this.chosen()].filter((t) => !group.types.includes(t));
    this.setTypes(on ? [...others, ...group.types] : others);
  }

  /** The chosen types, in the order the API lists them. */
  private setTypes(types: string[]): void {
    const set = new Set(types);
    this.form.controls.eventTypes.setValue(this.data.eventTypes.filter((t) => set.has(t)));
    this.typesTouched.set(true);
    this.typesProblem.set(null);
  }

  async save(): Promise<void> {
    this.typesTouched.set(true);
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      if (this.form.controls.url.invalid) this.urlField().nativeElement.focus();
      return;
    }
    const v = this.form.getRawValue();
    const url = v.url.trim();
    const description = v.description.trim();
    this.busy.set(true);
    this.problem.set(null);
    this.typesProblem.set(null);
    try {
      if (this.edited) {
        const input = changes(this.edited, { url, description, eventTypes: v.eventTypes });
        if (!input) {
          this.ref.close({ created: false, endpoint: this.edited });
          return;
        }
        const result = await firstValueFrom(this.updateGql.mutate({ variables: { input } }));
        const endpoint = result.data?.updateWebhookEndpoint;
        if (!endpoint) throw result.error ?? new Error('no endpoint in the answer');
        this.ref.close({ created: false, endpoint });
      } else {
        const result = await firstValueFrom(
          this.createGql.mutate({ variables: { input: { url, description, eventTypes: v.eventTypes } } }),
        );
        const answer = result.data?.createWebhookEndpoint;
        if (!answer) throw result.error ?? new Error('no endpoint in the answer');
        this.ref.close({ created: true, endpoint: answer.endpoint, secret: answer.secret });
      }
    } catch (e) {
      this.refused(endpointProblem(e));
    } finally {
      this.busy.set(false);
    }
  }

  /** A refused field shows why beside it and takes the focus (typing in it clears the error); anything else goes above the buttons. */
  private refused(problem: EndpointProblem): void {
    const field: EndpointField | null = problem.field;
    if (field === 'eventTypes') {
      this.typesProblem.set(problem);
      return;
    }
    if (!field) {
      this.problem.set(problem);
      return;
    }
    const control = this.form.controls[field];
    control.setErrors({ server: problem.key });
    control.markAsTouched();
    (field === 'url' ? this.urlField() : this.descriptionField()).nativeElement.focus();
  }
}

/** The update of an endpoint: the fields that changed (the API keeps the others), or null when none did. */
export function changes(
  endpoint: WebhookEndpointFieldsFragment,
  next: { url: string; description: string; eventTypes: string[] },
): UpdateWebhookEndpointInput | null {
  const input: UpdateWebhookEndpointInput = { id: endpoint.id };
  if (next.url !== endpoint.url) input.url = next.url;
  if (next.description !== endpoint.description) input.description = next.description;
  if ([...next.eventTypes].sort().join('\n') !== [...endpoint.eventTypes].sort().join('\n')) input.eventTypes = next.eventTypes;
  return Object.keys(input).length > 1 ? input : null;
}
