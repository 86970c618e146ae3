import { NgTemplateOutlet } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, OnInit, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { MatTableModule } from '@angular/material/table';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatMenu, MatMenuContent, MatMenuItem, MatMenuTrigger } from '@angular/material/menu';
import { MatDialog } from '@angular/material/dialog';
import { MatTooltip } from '@angular/material/tooltip';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import {
  DeleteWebhookEndpointGQL,
  RotateWebhookSecretGQL,
  UpdateWebhookEndpointGQL,
  WebhookEndpointFieldsFragment,
  WebhookEndpointsGQL,
  WebhookEventTypesGQL,
} from '@roster/console/data-access/generated';
import { errorKey } from '../core/api';
import { injectLang } from '../core/i18n';
import { actionKey } from '../shared/audit-action';
import { Confirm } from '../shared/confirm-dialog';
import { FormStatus } from '../shared/form-status';
import { Notifier } from '../shared/notifier';
import { showSecretOnce } from '../shared/secret-once-dialog';
import { TableFrame } from '../shared/table-frame';
import { ExactTimePipe, isPast, RelativeTimePipe } from '../shared/time';
import { WebhookDialog, WebhookDialogData, WebhookDialogResult } from './webhook-dialog';
import { disabledByRoster, endpointName, endpointStatus, hostAndPath, shortTime } from './webhook-form';

type Endpoint = WebhookEndpointFieldsFragment;

/** How many event types a row shows as chips; the others are counted ("+ 4", their words in its tooltip). */
export const TYPES_SHOWN = 3;

/** How a receiver verifies a delivery with the Standard Webhooks library (Node.js); shown with a new secret. */
export const VERIFY_SNIPPET = `import { Webhook } from 'standardwebhooks';

const wh = new Webhook(process.env.ROSTER_WEBHOOK_SECRET);
// rawBody: the body as received (a string, not parsed);
// verify() throws when the signature is wrong or too old.
const event = wh.verify(rawBody, request.headers);`;

/**
 * The organization's webhook endpoints (webhooks:manage): where Roster POSTs its events, signed. Add
 * (the signing secret shown once), edit, disable or enable, a new secret, delete; the endpoints Roster
 * disabled itself (410 Gone, three days of failures) are said above the list, with "Enable again"; each
 * endpoint's name opens its deliveries.
 */
@Component({
  selector: 'ro-webhooks-page',
  imports: [
    RouterLink,
    MatTableModule,
    MatButton,
    MatIconButton,
    MatIcon,
    MatMenu,
    MatMenuContent,
    MatMenuItem,
    MatMenuTrigger,
    MatTooltip,
    NgTemplateOutlet,
    TranslocoPipe,
    RelativeTimePipe,
    ExactTimePipe,
    TableFrame,
    FormStatus,
  ],
  templateUrl: './webhooks-page.html',
  styleUrl: './webhooks-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WebhooksPage implements OnInit {
  private readonly listGql = inject(WebhookEndpointsGQL);
  private readonly typesGql = inject(WebhookEventTypesGQL);
  private readonly updateGql = inject(UpdateWebhookEndpointGQL);
  private readonly rotateGql = inject(RotateWebhookSecretGQL);
  private readonly deleteGql = inject(DeleteWebhookEndpointGQL);
  private readonly dialog = inject(MatDialog);
  private readonly confirm = inject(Confirm);
  private readonly notifier = inject(Notifier);
  private readonly transloco = inject(TranslocoService);
  protected readonly lang = injectLang();
  protected readonly columns = ['name', 'url', 'eventTypes', 'status', 'lastSuccess', 'actions'];
  protected readonly endpoints = signal<Endpoint[]>([]);
  protected readonly eventTypes = signal<string[]>([]);
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);
  /** The endpoints Roster disabled itself: a notice each above the list. */
  protected readonly disabledByRoster = computed(() => this.endpoints().filter(disabledByRoster));
  protected readonly typesShown = TYPES_SHOWN;
  protected readonly name = endpointName;
  protected readonly hostAndPath = hostAndPath;
  protected readonly status = endpointStatus;
  protected readonly isPast = isPast;

  ngOnInit(): void {
    void this.load();
  }

  async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      const [list, types] = await Promise.all([
        firstValueFrom(this.listGql.fetch({ fetchPolicy: 'network-only' })),
        this.eventTypes().length ? null : firstValueFrom(this.typesGql.fetch({ fetchPolicy: 'network-only' })),
      ]);
      this.endpoints.set(list.data?.webhookEndpoints ?? []);
      if (types) this.eventTypes.set(types.data?.webhookEventTypes ?? []);
    } catch (e) {
      this.error.set(errorKey(e));
    } finally {
      this.loading.set(false);
    }
  }

  /** An event type in words (the audit log's), else as named. */
  protected typeName(type: string): string {
    const key = actionKey(type);
    return key ? this.transloco.translate(key) : type;
  }

  /** The event types past the chips, in words, for the "+ n" tooltip. */
  protected moreTypes(endpoint: Endpoint): string {
    return endpoint.eventTypes
      .slice(TYPES_SHOWN)
      .map((t) => this.typeName(t))
      .join(', ');
  }

  /** A moment as a short date and time, in the console's language. */
  protected shortTime(iso: string): string {
    return shortTime(iso, this.lang());
  }

  async add(): Promise<void> {
    const result = await this.openForm({ eventTypes: this.eventTypes() });
    if (!result?.created) return;
    this.endpoints.update((list) => [...list, result.endpoint]);
    await this.showSecret(result.endpoint, result.secret, false);
  }

  async edit(endpoint: Endpoint): Promise<void> {
    const result = await this.openForm({ endpoint, eventTypes: this.eventTypes() });
    if (!result) return;
    this.replace(result.endpoint);
    this.notifier.say('webhooks.saved', { name: endpointName(result.endpoint) });
  }

  /** Disables an endpoint (its waiting deliveries are kept) or enables it (they resume). */
  async setEnabled(endpoint: Endpoint, enabled: boolean): Promise<void> {
    await this.notifier.attempt(async () => {
      const result = await firstValueFrom(this.updateGql.mutate({ variables: { input: { id: endpoint.id, enabled } } }));
      const updated = result.data?.updateWebhookEndpoint;
      if (!updated) throw result.error ?? new Error('no endpoint in the answer');
      this.replace(updated);
      this.notifier.say(enabled ? 'webhooks.enabled' : 'webhooks.disabled', { name: endpointName(updated) });
    });
  }

  async rotate(endpoint: Endpoint): Promise<void> {
    // A second rotation within 24 hours: the oldest secret stops at once (two at most).
    const again = !!endpoint.previousSecretExpiresAt && !isPast(endpoint.previousSecretExpiresAt);
    const asked = await this.confirm.ask({
      title: 'webhooks.rotateTitle',
      text: again ? 'webhooks.rotateTextAgain' : 'webhooks.rotateText',
      confirm: 'webhooks.rotateConfirm',
      params: { name: endpointName(endpoint) },
    });
    if (!asked) return;
    let answer;
    try {
      const result = await firstValueFrom(this.rotateGql.mutate({ variables: { id: endpoint.id } }));
      answer = result.data?.rotateWebhookSecret;
      if (!answer) throw result.error ?? new Error('no secret in the answer');
    } catch (e) {
      this.notifier.failed(e);
      return;
    }
    this.replace(answer.endpoint);
    await this.showSecret(answer.endpoint, answer.secret, true);
  }

  async remove(endpoint: Endpoint): Promise<void> {
    const name = endpointName(endpoint);
    const asked = await this.confirm.ask({
      title: 'webhooks.deleteTitle',
      text: 'webhooks.deleteText',
      confirm: 'webhooks.delete',
      params: { name },
    });
    if (!asked) return;
    await this.notifier.attempt(async () => {
      await firstValueFrom(this.deleteGql.mutate({ variables: { id: endpoint.id } }));
      this.endpoints.update((list) => list.filter((e) => e.id !== endpoint.id));
      this.notifier.say('webhooks.deleted', { name });
    });
  }

  private replace(endpoint: Endpoint): void {
    this.endpoints.update((list) => list.map((e) => (e.id === endpoint.id ? endpoint : e)));
  }

  private async openForm(data: WebhookDialogData): Promise<WebhookDialogResult | undefined> {
    const ref = this.dialog.open<WebhookDialog, WebhookDialogData, WebhookDialogResult>(WebhookDialog, {
      data,
      width: '720px',
      maxWidth: '95vw',
      autoFocus: 'first-tabbable',
    });
    return firstValueFrom(ref.afterClosed());
  }

  /** The signing secret, shown this once, with how a receiver verifies what it gets. */
  private showSecret(endpoint: Endpoint, secret: string, rotated: boolean): Promise<void> {
    return showSecretOnce(this.dialog, {
      title: rotated ? 'webhooks.rotatedTitle' : 'webhooks.addedTitle',
      params: { name: endpointName(endpoint) },
      secret,
      secretLabel: 'webhooks.secret',
      once: rotated ? 'webhooks.secretOnceRotated' : 'webhooks.secretOnce',
      snippet: { caption: 'webhooks.snippetCaption', code: VERIFY_SNIPPET },
      note: 'webhooks.readme',
      copyOnClose: true,
    });
  }
}
