import { DOCUMENT, inject, Injectable } from '@angular/core';
import { ErrorCode } from '@roster/contracts/errors';

/** The translation key of a refused export: the API answers 4xx/5xx with a JSON `{ code, message }`. */
export function exportErrorKey(body: string): string {
  try {
    const parsed = JSON.parse(body) as { code?: unknown };
    const known = Object.values(ErrorCode) as string[];
    if (typeof parsed.code === 'string' && known.includes(parsed.code)) return `errors.${parsed.code}`;
  } catch {
    // Not JSON (a proxy's error page): the generic message.
  }
  return 'users.exportFailed';
}

/** How long a finished or refused export's frame is kept (a download in progress does not need it). */
const FRAME_LIFETIME_MS = 10 * 60_000;

/**
 * Exports through the browser's own download: GET /api/export/users is opened in a hidden frame, so
 * the file streams to disk with the browser's progress, nothing is held in the page's memory, and
 * the console stays where it is. A download never loads the frame; a page that loads in it is the
 * server's refusal (`{ code, message }`), reported to `onError` as a translation key.
 */
@Injectable()
export class UserExport {
  private readonly document = inject(DOCUMENT);

  start(
    format: 'csv' | 'xlsx',
    filter: { search: string | null; status: string | null; twoFactor?: string | null },
    onError: (key: string) => void,
  ): void {
    const params = new URLSearchParams({ format });
    if (filter.search) params.set('search', filter.search);
    if (filter.status) params.set('status', filter.status);
    if (filter.twoFactor) params.set('twoFactor', filter.twoFactor);
    const frame = this.document.createElement('iframe');
    frame.hidden = true;
    frame.setAttribute('aria-hidden', 'true');
    frame.dataset['export'] = format;
    frame.addEventListener('load', () => {
      onError(exportErrorKey(frame.contentDocument?.body?.textContent ?? ''));
      frame.remove();
    });
    frame.src = `/api/export/users?${params}`;
    this.document.body.appendChild(frame);
    setTimeout(() => frame.remove(), FRAME_LIFETIME_MS);
  }
}
