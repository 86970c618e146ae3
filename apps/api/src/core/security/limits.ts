import type { Limit } from './rate-limit.service';

const FIFTEEN_MINUTES = 15 * 60;

/** Every attempt limit of the API, in one place (the README's security model lists them). */
export const LIMITS = {
  /** Wrong passwords per account, from browsers that never signed in to it. */
  signInAccount: { points: 10, duration: FIFTEEN_MINUTES },
  /** Wrong passwords per client address, from browsers that never signed in to the account tried. */
  signInAddress: { points: 100, duration: FIFTEEN_MINUTES },
  /** Wrong passwords from a browser that signed in to this account before (its own counter). */
  signInDevice: { points: 10, duration: FIFTEEN_MINUTES },
  /** Two-factor codes (sign-in, set-up, disabling) per person. */
  secondFactor: { points: 10, duration: FIFTEEN_MINUTES },
  /** Current-password checks (password change, disabling 2FA) per person. */
  passwordCheck: { points: 10, duration: FIFTEEN_MINUTES },
  /** First-admin set-up attempts per client address. */
  setup: { points: 20, duration: FIFTEEN_MINUTES },
  /** Password-reset attempts (new passwords set through a link) per client address. */
  passwordReset: { points: 20, duration: FIFTEEN_MINUTES },
  /** "Forgot password?" requests per client address. */
  forgotAddress: { points: 20, duration: FIFTEEN_MINUTES },
  /** Reset emails per email address (beyond: silently none, so a mailbox cannot be flooded). */
  forgotEmail: { points: 3, duration: FIFTEEN_MINUTES },
} as const satisfies Record<string, Limit>;
