import { DOCUMENT, inject, Injectable } from '@angular/core';
import { downloadInFrame, exportErrorKey } from '../shared/download';

/**
 * Exports through the browser's own download: GET /api/export/users in a hidden frame (see
 * downloadInFrame); the server's refusal (`{ code, message }`) is reported to `onError` as a
 * translation key.
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
    downloadInFrame(this.document, `/api/export/users?${params}`, format, (body) => onError(exportErrorKey(body, 'users.exportFailed')));
  }
}
