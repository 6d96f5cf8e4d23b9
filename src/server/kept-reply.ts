// A kept answer sent as the JSON kept beside it (src/db/answer-cache.ts keptJson): a route that answers from a
// cache costs neither validation nor serialisation per request (issue 13, reads at 50 connections).
import type { FastifyReply } from 'fastify';
import { keptJson } from '../db/answer-cache.ts';

export function sendKeptJson(
  reply: FastifyReply,
  answer: object,
  schema: { parse(value: unknown): unknown },
): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(keptJson(answer, schema) as never);
}
