// Small files uploaded as base64 in a JSON body (project documents, objection evidence): one check of
// name, type (by extension from an allow-list, never the client's type), encoding and size.
import { createHash } from 'node:crypto';
import { cleanFileName } from '../domain/file-names.ts';
import { AppError, badRequest } from './errors.ts';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The largest workbook an import takes as an upload: the platforms register, reported targets and project
 * progress (one cap, so the three imports answer the same file alike).
 */
export const MAX_IMPORT_WORKBOOK_BYTES = 5 * 1024 * 1024;

export interface DecodedUpload {
  fileName: string;
  /** the extension, lower case */
  ext: string;
  contentType: string;
  content: Buffer;
  sha256: string;
}

export function decodeUpload(
  body: { fileName: string; contentBase64: string },
  types: Readonly<Record<string, string>>,
  maxBytes: number,
  tooLarge: { en: string; zh: string } = { en: '', zh: '' },
): DecodedUpload {
  const fileName = cleanFileName(body.fileName);
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  const contentType = types[ext];
  if (!contentType)
    throw new AppError(
      415,
      'unsupported-file',
      `Only ${Object.keys(types).join(', ')} files can be attached.`,
      `只能上传以下类型的文件：${Object.keys(types).join('、')}。`,
      [{ field: 'fileName', message: 'file type not allowed', messageZh: '文件类型不允许' }],
    );
  const b64 = body.contentBase64.replace(/\s+/g, '');
  if (!BASE64.test(b64) || b64.length % 4 !== 0)
    throw badRequest('The file content is not valid base64.', '文件内容不是有效的 base64 编码。', [
      { field: 'contentBase64', message: 'not base64', messageZh: '不是 base64' },
    ]);
  const content = Buffer.from(b64, 'base64');
  if (content.length === 0)
    throw badRequest('The file is empty.', '文件为空。', [
      { field: 'contentBase64', message: 'empty', messageZh: '文件为空' },
    ]);
  if (content.length > maxBytes)
    throw new AppError(
      413,
      'too-large',
      `The file is larger than ${maxBytes / 1024 / 1024} MB${tooLarge.en}.`,
      `文件超过 ${maxBytes / 1024 / 1024} MB${tooLarge.zh}。`,
      [{ field: 'contentBase64', message: 'too large', messageZh: '文件过大' }],
    );
  const sha256 = createHash('sha256').update(content).digest('hex');
  return { fileName, ext, contentType, content, sha256 };
}

/**
 * What a file of each type starts with (its magic bytes), so a renamed executable or HTML page is refused.
 * docx/xlsx/ofd are zip packages; doc/xls the OLE compound format.
 */
export const FILE_SIGNATURES: Readonly<Record<string, readonly (readonly number[])[]>> = {
  pdf: [[0x25, 0x50, 0x44, 0x46]], // %PDF
  png: [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  jpg: [[0xff, 0xd8, 0xff]],
  jpeg: [[0xff, 0xd8, 0xff]],
  docx: [[0x50, 0x4b, 0x03, 0x04]],
  xlsx: [[0x50, 0x4b, 0x03, 0x04]],
  ofd: [[0x50, 0x4b, 0x03, 0x04]],
  doc: [[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]],
  xls: [[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]],
};

/** Refuses (415) a decoded file whose first bytes are not those of its extension's type. */
export function assertSignature(file: Pick<DecodedUpload, 'ext' | 'content'>): void {
  const sigs = FILE_SIGNATURES[file.ext];
  if (!sigs || !sigs.some((sig) => sig.every((b, i) => file.content[i] === b)))
    throw new AppError(
      415,
      'unsupported-file',
      `The file's content is not a ${file.ext} file.`,
      `文件内容与扩展名 .${file.ext} 不符。`,
      [{ field: 'contentBase64', message: 'content does not match the type', messageZh: '内容与类型不符' }],
    );
}
