import { DOCUMENT, inject, Injectable, signal } from '@angular/core';
import { ErrorCode } from '@roster/contracts/errors';

/** The translation key of a failed export: the API answers 4xx with a JSON `{ code, message }`. */
export async function exportErrorKey(response: Pick<Response, 'json'>): Promise<string> {
  try {
    const body = (await response.json()) as { code?: unknown };
    const known = Object.values(ErrorCode) as string[];
    if (typeof body.code === 'string' && known.includes(body.code)) return `errors.${body.code}`;
  } catch {
    // Not JSON (a proxy's error page): the generic message.
  }
  return 'users.exportFailed';
}

/** Streams GET /api/export/users into a download, counting the bytes received as progress. */
@Injectable()
export class UserExport {
  private readonly document = inject(DOCUMENT);
  readonly running = signal(false);
  readonly received = signal(0);

  /** Null when downloaded; otherwise the translation key of what went wrong. */
  async download(format: 'csv' | 'xlsx', search: string): Promise<string | null> {
    if (this.running()) return 'users.exportFailed';
    this.running.set(true);
    this.received.set(0);
    try {
      const params = new URLSearchParams({ format });
      if (search) params.set('search', search);
      const response = await fetch(`/api/export/users?${params}`, { credentials: 'same-origin' });
      if (!response.ok) return await exportErrorKey(response);
      if (!response.body) return 'users.exportFailed';
      const reader = response.body.getReader();
      const chunks: BlobPart[] = [];
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value as Uint8Array<ArrayBuffer>);
        this.received.update((n) => n + value.length);
      }
      const type = response.headers.get('content-type') ?? 'application/octet-stream';
      const name = /filename="?([^";]+)"?/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `users.${format}`;
      const url = URL.createObjectURL(new Blob(chunks, { type }));
      const link = this.document.createElement('a');
      link.href = url;
      link.download = name;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      return null;
    } catch {
      return 'users.exportFailed';
    } finally {
      this.running.set(false);
    }
  }

  /** "1.2 MB" */
  size(): string {
    const bytes = this.received();
    if (bytes < 1024) return `${bytes} B`;
    if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
    return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  }
}
