import type { FastifyReply } from 'fastify';

/** Sends a download with its Chinese file name (RFC 5987) and an ASCII fallback. */
export function sendDownload(reply: FastifyReply, body: Buffer | string, type: string, fileName: string) {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_');
  reply
    .type(type)
    .header(
      'content-disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    );
  return body;
}
