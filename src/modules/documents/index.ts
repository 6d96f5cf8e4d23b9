// Small evidence files (scans, certificates, application forms) that capabilities keep in their own
// tables: one check of what may be uploaded and one way to send a file back, so that every
// capability refuses the same things and answers downloads as attachments (never rendered in the app).
import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { AppError, badRequest } from '../../server/errors.ts';

export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;

/** Allowed extensions and the content type each is served with (never taken from the client). */
export const DOCUMENT_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  ofd: 'application/ofd',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** A file in a JSON body: its name and its bytes, base64. */
export const documentFileBody = z
  .object({
    fileName: z.string().trim().min(1).max(200),
    contentBase64: z
      .string()
      .min(1)
      .max(Math.ceil(MAX_DOCUMENT_BYTES / 3) * 4 + 16),
  })
  .strict();
export type DocumentFile = z.infer<typeof documentFileBody>;

/** The JSON body limit of a route that takes one such file (base64 plus the JSON around it). */
export const DOCUMENT_BODY_LIMIT = Math.ceil(MAX_DOCUMENT_BYTES / 3) * 4 + 64 * 1024;

export interface CheckedDocument {
  fileName: string;
  contentType: string;
  content: Buffer;
  sizeBytes: number;
  sha256: string;
}

export function cleanFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return base.slice(-200) || 'file';
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Checks an uploaded file (type from an allow-list, valid base64, not empty, size cap). */
export function checkDocument(file: DocumentFile, field = 'file'): CheckedDocument {
  const fileName = cleanFileName(file.fileName);
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  const contentType = DOCUMENT_TYPES[ext];
  if (!contentType)
    throw new AppError(
      415,
      'unsupported-file',
      `Only ${Object.keys(DOCUMENT_TYPES).join(', ')} files can be attached.`,
      `只能上传以下类型的文件：${Object.keys(DOCUMENT_TYPES).join('、')}。`,
      [{ field: `${field}.fileName`, message: 'file type not allowed', messageZh: '文件类型不允许' }],
    );
  const b64 = file.contentBase64.replace(/\s+/g, '');
  if (!BASE64.test(b64) || b64.length % 4 !== 0)
    throw badRequest('The file content is not valid base64.', '文件内容不是有效的 base64 编码。', [
      { field: `${field}.contentBase64`, message: 'not base64', messageZh: '不是 base64' },
    ]);
  const content = Buffer.from(b64, 'base64');
  if (content.length === 0)
    throw badRequest('The file is empty.', '文件为空。', [
      { field: `${field}.contentBase64`, message: 'empty', messageZh: '文件为空' },
    ]);
  if (content.length > MAX_DOCUMENT_BYTES)
    throw new AppError(
      413,
      'too-large',
      `The file is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB.`,
      `文件超过 ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB。`,
      [{ field: `${field}.contentBase64`, message: 'too large', messageZh: '文件过大' }],
    );
  const sha256 = createHash('sha256').update(content).digest('hex');
  return { fileName, contentType, content, sizeBytes: content.length, sha256 };
}

/** Sends a stored file as a download: attachment, nosniff, never cached by shared caches. */
export function sendDocument(
  reply: FastifyReply,
  doc: { fileName: string; contentType: string; content: Buffer },
): FastifyReply {
  const ascii = doc.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return reply
    .header('content-type', doc.contentType)
    .header(
      'content-disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(doc.fileName)}`,
    )
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .send(doc.content);
}
