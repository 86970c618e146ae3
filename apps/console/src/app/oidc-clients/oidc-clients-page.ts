import { CdkCopyToClipboard } from '@angular/cdk/clipboard';
import { NgTemplateOutlet } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, OnInit, signal } from '@angular/core';
import { MatTableModule } from '@angular/material/table';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatMenu, MatMenuContent, MatMenuItem, MatMenuTrigger } from '@angular/material/menu';
import { MatDialog } from '@angular/material/dialog';
import { MatTooltip } from '@angular/material/tooltip';
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import {
  DeleteOidcClientGQL,
  OidcClientFieldsFragment,
  OidcClientsGQL,
  RotateOidcClientSecretGQL,
} from '@roster/console/data-access/generated';
import { errorKey } from '../core/api';
import { Session } from '../core/session';
import { Confirm } from '../shared/confirm-dialog';
import { FormStatus } from '../shared/form-status';
import { Notifier } from '../shared/notifier';
import { showSecretOnce } from '../shared/secret-once-dialog';
import { TableFrame } from '../shared/table-frame';
import { OidcClientDialog, OidcClientDialogData, OidcClientDialogResult } from './oidc-client-dialog';

type Client = OidcClientFieldsFragment;

/** How many redirect URIs a row shows; the others are counted ("+2 more", the list in its tooltip). */
export const URIS_SHOWN = 3;

/**
 * The applications people sign into through Roster (OpenID Connect clients, oidc-clients:manage): the
 * organization's and the platform-wide ones. Register (the secret shown once), edit, replace the secret,
 * delete; platform-wide clients only by a platform operator (read-only to everyone else).
 */
@Component({
  selector: 'ro-oidc-clients-page',
  imports: [
    MatTableModule,
    MatButton,
    MatIconButton,
    MatIcon,
    MatMenu,
    MatMenuContent,
    MatMenuItem,
    MatMenuTrigger,
    MatTooltip,
    CdkCopyToClipboard,
    NgTemplateOutlet,
    TranslocoPipe,
    TableFrame,
    FormStatus,
  ],
  templateUrl: './oidc-clients-page.html',
  styleUrl: './oidc-clients-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OidcClientsPage implements OnInit {
  private readonly listGql = inject(OidcClientsGQL);
  private readonly rotateGql = inject(RotateOidcClientSecretGQL);
  private readonly deleteGql = inject(DeleteOidcClientGQL);
  private readonly dialog = inject(MatDialog);
  private readonly confirm = inject(Confirm);
  private readonly notifier = inject(Notifier);
  protected readonly operator = inject(Session).operator;
  protected readonly columns = ['name', 'clientId', 'kind', 'redirectUris', 'actions'];
  protected readonly clients = signal<Client[]>([]);
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);
  protected readonly urisShown = URIS_SHOWN;

  ngOnInit(): void {
    void this.load();
  }

  async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      const result = await firstValueFrom(this.listGql.fetch({ fetchPolicy: 'network-only' }));
      this.clients.set(result.data?.oidcClients ?? []);
    } catch (e) {
      this.error.set(errorKey(e));
    } finally {
      this.loading.set(false);
    }
  }

  /** Platform-wide clients are the operators' to change. */
  protected mayChange(client: Client): boolean {
    return !client.platformWide || this.operator();
  }

  protected copied(): void {
    this.notifier.say('oidcClients.clientIdCopied');
  }

  async register(): Promise<void> {
    const result = await this.openForm({ operator: this.operator() });
    if (!result?.created) return;
    await this.load();
    await this.showSecret(result.client, result.clientSecret, false);
  }

  async edit(client: Client): Promise<void> {
    const result = await this.openForm({ client, operator: this.operator() });
    if (!result) return;
    this.notifier.say('oidcClients.saved', { name: result.client.name });
    await this.load();
  }

  async rotate(client: Client): Promise<void> {
    const asked = await this.confirm.ask({
      title: 'oidcClients.rotateTitle',
      text: 'oidcClients.rotateText',
      confirm: 'oidcClients.rotateConfirm',
      params: { name: client.name },
    });
    if (!asked) return;
    let answer;
    try {
      const result = await firstValueFrom(this.rotateGql.mutate({ variables: { id: client.id } }));
      answer = result.data?.rotateOidcClientSecret;
      if (!answer) throw result.error ?? new Error('no secret in the answer');
    } catch (e) {
      this.notifier.failed(e);
      return;
    }
    await this.showSecret(answer.client, answer.clientSecret, true);
  }

  async remove(client: Client): Promise<void> {
    const asked = await this.confirm.ask({
      title: 'oidcClients.deleteTitle',
      text: 'oidcClients.deleteText',
      confirm: 'oidcClients.delete',
      params: { name: client.name },
    });
    if (!asked) return;
    await this.notifier.attempt(async () => {
      await firstValueFrom(this.deleteGql.mutate({ variables: { id: client.id } }));
      this.clients.update((list) => list.filter((c) => c.id !== client.id));
      this.notifier.say('oidcClients.deleted', { name: client.name });
    });
  }

  private async openForm(data: OidcClientDialogData): Promise<OidcClientDialogResult | undefined> {
    const ref = this.dialog.open<OidcClientDialog, OidcClientDialogData, OidcClientDialogResult>(OidcClientDialog, {
      data,
      width: '600px',
      maxWidth: '95vw',
      autoFocus: 'first-tabbable',
    });
    return firstValueFrom(ref.afterClosed());
  }

  /**
   * What the application needs after its registration, or a new secret: its client_id and its secret,
   * shown this once (a public client has none and uses PKCE). Only "Done" closes it.
   */
  private showSecret(client: Client, secret: string | null, rotated: boolean): Promise<void> {
    return showSecretOnce(this.dialog, {
      title: rotated ? 'oidcClients.rotatedTitle' : 'oidcClients.registeredTitle',
      params: { name: client.name },
      values: [
        {
          label: 'oidcClients.clientId',
          copy: 'oidcClients.copyClientId',
          copied: 'oidcClients.clientIdCopied',
          value: client.clientId,
          testId: 'oidc-created-client-id',
        },
      ],
      secret,
      secretLabel: 'oidcClients.clientSecret',
      once: 'oidcClients.secretOnce',
      note: 'oidcClients.confidentialUse',
      none: 'oidcClients.publicNoSecret',
    });
  }
}
