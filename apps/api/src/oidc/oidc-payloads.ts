import { Injectable } from '@nestjs/common';
import { JanitorService } from '../core/database/janitor.service';

/**
 * The provider's state and keys, as the janitor sees them: expired `oidc_payloads` rows are purged, and
 * a signing key once two newer keys sign (it stopped signing a whole rotation period ago: no token it
 * signed is still alive, no cached key set still needs it).
 */
@Injectable()
export class OidcPayloads {
  constructor(janitor: JanitorService) {
    janitor.expire('oidc_payloads', 'expires_at < now()');
    janitor.expire(
      'oidc_signing_keys',
      `(SELECT count(*) FROM oidc_signing_keys n WHERE n.active_from > oidc_signing_keys.active_from AND n.active_from <= now()) >= 2`,
    );
  }
}
