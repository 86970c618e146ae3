import { ErrorCode } from '@roster/contracts/errors';

/** Saves text as a file through a temporary link (no server round trip). */
export function downloadText(doc: Document, fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const link = doc.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** How long a finished or refused export's frame is kept (a download in progress does not need it). */
const FRAME_LIFETIME_MS = 10 * 60_000;

/**
 * Downloads through the browser's own download: `url` is opened in a hidden frame, so the file streams
 * to disk with the browser's progress, nothing is held in the page's memory, and the console stays
 * where it is. A download never loads the frame; a page that loads in it is the server's refusal,
 * whose text goes to `onRefused`.
 */
export function downloadInFrame(doc: Document, url: string, label: string, onRefused: (body: string) => void): void {
  const frame = doc.createElement('iframe');
  frame.hidden = true;
  frame.setAttribute('aria-hidden', 'true');
  frame.dataset['export'] = label;
  frame.addEventListener('load', () => {
    onRefused(frame.contentDocument?.body?.textContent ?? '');
    frame.remove();
  });
  frame.src = url;
  doc.body.appendChild(frame);
  setTimeout(() => frame.remove(), FRAME_LIFETIME_MS);
}

/**
 * The translation key of a refused export (the body `downloadInFrame` hands to `onRefused`): the API
 * answers 4xx/5xx with a JSON `{ code, message }`; anything else reads as `fallback`.
 */
export function exportErrorKey(body: string, fallback: string): string {
  try {
    const parsed = JSON.parse(body) as { code?: unknown };
    const known = Object.values(ErrorCode) as string[];
    if (typeof parsed.code === 'string' && known.includes(parsed.code)) return `errors.${parsed.code}`;
  } catch {
    // Not JSON (a proxy's error page): the generic message.
  }
  return fallback;
}
