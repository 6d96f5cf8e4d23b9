// Names of uploaded files as stored and offered for download: the client's name, never its path.

/** The file name without any folder part or control characters (at most 200 characters). */
export function cleanFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return base.slice(-200) || 'file';
}
