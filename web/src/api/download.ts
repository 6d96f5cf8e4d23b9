// Downloads from the API the way the rest of the client asks it: with the session and the app's header,
// saved under the file name the server gives. A refusal (busy 503 with Retry-After, 403, 404, 413 …) is an
// ApiError with the server's problem, for the page to show — a plain link showed the problem's JSON in
// the tab instead and left the page.
import { APP_HEADERS, ApiError, localProblem, readProblem } from './client.ts';

/** The file name of a Content-Disposition header: RFC 5987 `filename*` first, then `filename`. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  if (disposition) {
    const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(disposition);
    if (extended) {
      const [, charset = '', encoded = ''] = extended;
      try {
        const value = encoded.trim();
        const name =
          charset.trim().toLowerCase() === 'utf-8' || charset.trim() === ''
            ? decodeURIComponent(value)
            : value.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))); // ISO-8859-1
        if (name) return safeName(name, fallback);
      } catch {
        // a malformed escape: fall back to the plain name
      }
    }
    const plain = /(?:^|;)\s*filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/i.exec(disposition);
    const name = plain?.[1]?.replace(/\\(.)/g, '$1') ?? plain?.[2]?.trim();
    if (name) return safeName(name, fallback);
  }
  return fallback;
}

/** No folders in a saved name. */
const safeName = (name: string, fallback: string): string => name.replace(/[/\\]/g, '_').trim() || fallback;

/** The last part of a URL's path, decoded: a name to save under when the server gives none. */
export function nameInUrl(url: string): string {
  const path = url.split(/[?#]/)[0] ?? '';
  const last = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(last) || 'download';
  } catch {
    return last || 'download';
  }
}

/** Seconds of a Retry-After header (seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** Hands a blob to the browser as a download named `fileName`. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Fetches `url` and saves it under the server's file name (or `fallbackName`); resolves to the name saved.
 * Throws an ApiError with the server's problem (and its Retry-After) when the server refuses.
 */
export async function download(url: string, fallbackName: string, signal?: AbortSignal): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin', headers: { ...APP_HEADERS }, signal });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(
      localProblem(0, 'Network error', 'Cannot reach the server.', '无法连接服务器，请检查网络。'),
    );
  }
  if (!response.ok)
    throw new ApiError(await readProblem(response), retryAfterSeconds(response.headers.get('retry-after')));
  let blob: Blob;
  try {
    blob = await response.blob();
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(
      localProblem(0, 'Download interrupted', 'The download was interrupted.', '下载中断，请重试。'),
    );
  }
  const name = fileNameOf(response.headers.get('content-disposition'), fallbackName);
  saveBlob(blob, name);
  return name;
}
