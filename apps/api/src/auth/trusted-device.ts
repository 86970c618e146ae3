import { Inject, Injectable } from '@nestjs/common';
import { setCookie } from '../core/http/cookies';
import type { CallerRequest, CallerResponse } from '../core/http/http-context';
import { Cookie } from '@roster/contracts/http';
import { APP_CONFIG, AppConfig } from '../core/config/config';
import { SECRET_BOX, SecretBox } from '../core/security/secret-box';
import { newToken, safeEqual } from '../core/access/tokens';

const DEVICE_DAYS = 180;

/**
 * "Device cookies" against lock-out: a browser that signed in to an account gets a signed cookie
 * naming that account. Its later password attempts for that account are counted on the device
 * alone, so an attacker who exhausts the account's or the address's limit does not lock out the
 * person at their usual browser. Stateless: the cookie is a nonce and a MAC of (email, nonce).
 */
@Injectable()
export class TrustedDevices {
  constructor(
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The device's id when this browser's cookie vouches for this email; null otherwise. */
  deviceFor(req: CallerRequest, email: string): string | null {
    const value = req.cookies?.[Cookie.Device];
    if (typeof value !== 'string' || value.length > 200) return null;
    const [nonce, mac] = value.split('.');
    if (!nonce || !mac) return null;
    return safeEqual(mac, this.box.mac(`device:${email}:${nonce}`)) ? nonce : null;
  }

  remember(res: CallerResponse, email: string): void {
    const nonce = newToken(16);
    setCookie(res, Cookie.Device, `${nonce}.${this.box.mac(`device:${email}:${nonce}`)}`, {
      httpOnly: true,
      secure: this.config.cookieSecure,
      sameSite: 'strict',
      path: '/graphql',
      maxAgeMs: DEVICE_DAYS * 86400_000,
    });
  }
}
