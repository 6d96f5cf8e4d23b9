// Multipart bodies for upload routes (imports, batches) sent with app.inject.
import crypto from 'node:crypto';

export interface UploadPart {
  /** the form field: `file` for one import, the kind for a batch file */
  field: string;
  fileName: string;
  content: Buffer | string;
}

/** A multipart/form-data body with one file part per entry. */
export function multipartFiles(files: readonly UploadPart[]): {
  payload: Buffer;
  headers: Record<string, string>;
} {
  const boundary = `----cs${crypto.randomBytes(8).toString('hex')}`;
  const parts = files.map((f) =>
    Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        'utf8',
      ),
      typeof f.content === 'string' ? Buffer.from(f.content, 'utf8') : f.content,
      Buffer.from('\r\n'),
    ]),
  );
  return {
    payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** The body of a single-file upload (field `file`). */
export function multipartFile(fileName: string, content: Buffer | string) {
  return multipartFiles([{ field: 'file', fileName, content }]);
}
