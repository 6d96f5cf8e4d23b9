// A kept answer sent as the JSON bytes kept beside it: a route that answers from a cache costs neither
// validation, serialisation nor UTF-8 encoding per request (issue 13, reads at 50 connections).
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { answerText } from '../db/answer-cache.ts';

/**
 * A kept answer (evaluation, enterprises) as sendKeptText sends it: its JSON made once (what the response
 * schema lets out), kept as bytes only — not the string too — and gzip-compressed once for a client that
 * accepts it. It sent the kept string, which Node encoded to UTF-8 again for every request: the 亩均
 * simulation's 500 movers with their Chinese names cost the city admin ≈ 1.6 ms of the server's one
 * thread per request.
 */
export function sendKeptJson(
  reply: FastifyReply,
  answer: object,
  schema: { parse(value: unknown): unknown },
): FastifyReply {
  return sendKeptText(reply.request, reply, answer, () => answerText(answer, schema));
}

/** Below this an answer is a few packets: compressing it would save a client nothing it could notice. */
const GZIP_FROM_BYTES = 8 * 1024;

interface KeptText {
  body: Buffer;
  /** made at the first request that accepts gzip (null: too small to compress) */
  gzip?: Buffer | null;
}
const texts = new WeakMap<object, KeptText>();

/**
 * A kept answer's JSON text (made once by `text`) sent as bytes kept beside the answer, and compressed
 * once, kept too, for a client that accepts gzip (every browser): the monitoring figures table is
 * 440–490 kB for a city-wide reader, which each request encoded to UTF-8 again and sent whole. The
 * bytes the client decodes are the same either way.
 */
export function sendKeptText(
  request: FastifyRequest,
  reply: FastifyReply,
  answer: object,
  text: () => string,
): FastifyReply {
  let kept = texts.get(answer);
  if (!kept) texts.set(answer, (kept = { body: Buffer.from(text()) }));
  reply.type('application/json; charset=utf-8').header('vary', 'accept-encoding');
  if (acceptsGzip(request.headers['accept-encoding'])) {
    kept.gzip ??= kept.body.length >= GZIP_FROM_BYTES ? gzipSync(kept.body) : null;
    if (kept.gzip) return reply.header('content-encoding', 'gzip').send(kept.gzip);
  }
  return reply.send(kept.body);
}

/** Whether an Accept-Encoding header accepts gzip (RFC 9110 §12.5.3: named, or `*`, with a weight above 0). */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  let star = false;
  for (const part of value.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = q ? Number(q.slice(2)) : 1;
    if (name === 'gzip' || name === 'x-gzip') return weight > 0;
    if (name === '*') star = weight > 0;
  }
  return star;
}
