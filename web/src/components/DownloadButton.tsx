// The one way the web downloads a file from the API. A click fetches it (api/download.ts) and saves it under
// the server's name; a refusal is a message on the page in the UI language (a busy server: try again in N
// seconds), the user stays where they are. The link keeps its href, so "open in new tab" and copying the
// address still work; a click with a modifier key is left to the browser. One download at a time per button.
import { useRef, useState, type MouseEvent, type ReactNode } from 'react';
import { App, Button, type ButtonProps } from 'antd';
import { LoadingOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { ApiError, errorMessage } from '../api/client.ts';
import { download, nameInUrl } from '../api/download.ts';

/** The text shown when a download is refused: the server's problem, and for a busy server when to retry. */
export function downloadErrorText(error: unknown, language: string, t: TFunction): string {
  const text = errorMessage(error, language);
  if (error instanceof ApiError && error.status === 503 && error.retryAfter !== undefined)
    return `${text} ${t('errors.retryIn', { seconds: error.retryAfter })}`;
  return text;
}

/** `start(event)` runs the download unless one is running or the click is the browser's (modifier keys). */
function useDownload(url: string, fileName: string | undefined) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const running = useRef(false);
  const start = (event: MouseEvent<HTMLElement>) => {
    // ctrl/cmd/shift/middle click: the user asked the browser for a new tab or window
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey || event.button !== 0) return;
    event.preventDefault();
    if (running.current) return;
    running.current = true;
    setBusy(true);
    download(url, fileName ?? nameInUrl(url))
      .catch((error: unknown) => {
        if (error instanceof DOMException && error.name === 'AbortError') return;
        void message.error({
          content: <span data-testid="download-error">{downloadErrorText(error, i18n.language, t)}</span>,
          duration: 8,
        });
      })
      .finally(() => {
        running.current = false;
        setBusy(false);
      });
  };
  return { busy, start };
}

interface DownloadProps {
  /** the API address of the file */
  url: string;
  /** saved under this name when the server names none (default: the last part of the URL) */
  fileName?: string;
  children?: ReactNode;
  'data-testid'?: string;
}

/** An antd Button that downloads `url` (shows loading while it does). */
export function DownloadButton({
  url,
  fileName,
  ...props
}: DownloadProps & Omit<ButtonProps, 'href' | 'onClick' | 'loading'>) {
  const { busy, start } = useDownload(url, fileName);
  return <Button {...props} href={url} loading={busy} aria-busy={busy} onClick={start} />;
}

/** A text link that downloads `url` (a spinner before it while it does). */
export function DownloadLink({ url, fileName, children, ...props }: DownloadProps) {
  const { busy, start } = useDownload(url, fileName);
  return (
    <a {...props} href={url} onClick={start} aria-busy={busy} aria-disabled={busy || undefined}>
      {busy && <LoadingOutlined style={{ marginInlineEnd: 4 }} />}
      {children}
    </a>
  );
}
