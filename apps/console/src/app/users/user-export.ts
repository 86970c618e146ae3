import { DOCUMENT, inject, Injectable, signal } from '@angular/core';

/** Streams GET /api/export/users into a download, counting the bytes received as progress. */
@Injectable()
export class UserExport {
  private readonly document = inject(DOCUMENT);
  readonly running = signal(false);
  readonly received = signal(0);

  async download(format: 'csv' | 'xlsx', search: string): Promise<boolean> {
    if (this.running()) return false;
    this.running.set(true);
    this.received.set(0);
    try {
      const params = new URLSearchParams({ format });
      if (search) params.set('search', search);
      const response = await fetch(`/api/export/users?${params}`, { credentials: 'same-origin' });
      if (!response.ok || !response.body) return false;
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
      return true;
    } catch {
      return false;
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
