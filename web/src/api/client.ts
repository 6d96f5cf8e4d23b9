// A small fetch wrapper: same-origin cookie session, JSON in and out, RFC 9457 problems as errors.
import type { z } from 'zod';
import { problemSchema, type Problem } from './contract.ts';

/** A failed request, carrying the server's problem document (or one made up for network failures). */
export class ApiError extends Error {
  readonly problem: Problem;
  /** Seconds the server asked to wait before trying again (its Retry-After), when it said. */
  readonly retryAfter: number | undefined;

  constructor(problem: Problem, retryAfter?: number) {
    super(problem.detail);
    this.name = 'ApiError';
    this.problem = problem;
    this.retryAfter = retryAfter;
  }

  get status(): number {
    return this.problem.status;
  }
}

/**
 * Sent on every request: the server refuses state-changing requests without it (src/server/csrf.ts),
 * which a form or a script on another origin cannot send.
 */
export const APP_HEADERS = { 'x-requested-with': 'clusterscope' } as const;

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions<T> {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** Validates the response; a mismatch is a contract bug and is reported as such. */
  schema?: z.ZodType<T>;
  signal?: AbortSignal;
}

/** Builds `?a=1&b=x`, leaving out empty values so URLs stay short and servers see no blank filters. */
export function toQueryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function localProblem(status: number, title: string, detail: string, detailZh: string): Problem {
  return { type: 'about:blank', title, status, detail, detailZh };
}

/** The problem document of a refused response, or one made up from its status. */
export async function readProblem(response: Response): Promise<Problem> {
  try {
    const parsed = problemSchema.safeParse(await response.json());
    if (parsed.success) return parsed.data;
  } catch {
    // Not JSON (a proxy error page, for instance): fall through to a generic problem.
  }
  return localProblem(
    response.status,
    response.statusText || 'Error',
    `The server answered ${response.status} ${response.statusText}.`.trim(),
    `服务器返回错误 ${response.status}。`,
  );
}

export async function api<T>(path: string, options: RequestOptions<T> = {}): Promise<T> {
  const { method = 'GET', query, body, schema, signal } = options;
  let response: Response;
  try {
    response = await fetch(`${path}${toQueryString(query)}`, {
      method,
      credentials: 'same-origin',
      headers: {
        ...APP_HEADERS,
        accept: 'application/json, application/problem+json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(
      localProblem(0, 'Network error', 'Cannot reach the server.', '无法连接服务器，请检查网络。'),
    );
  }
  if (!response.ok) throw new ApiError(await readProblem(response));
  if (response.status === 204) return undefined as T;
  const json: unknown = await response.json();
  if (!schema) return json as T;
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    console.error(`Response of ${method} ${path} does not match the contract`, parsed.error.issues);
    throw new ApiError(
      localProblem(
        0,
        'Contract mismatch',
        `The response of ${path} does not match the expected shape.`,
        `接口 ${path} 的返回数据格式与约定不符。`,
      ),
    );
  }
  return parsed.data;
}

const isZh = (language: string): boolean => language.toLowerCase().startsWith('zh');

/** The message to show for an error, in the UI language (detailZh in Chinese, detail in English). */
export function errorMessage(error: unknown, language: string): string {
  if (error instanceof ApiError) {
    const { detail, detailZh } = error.problem;
    return isZh(language) && detailZh ? detailZh : detail;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Per-field messages of a problem, shaped for antd's `form.setFields`. */
export function fieldErrors(error: unknown, language: string): { name: string; errors: string[] }[] {
  if (!(error instanceof ApiError) || !error.problem.errors) return [];
  const byField = new Map<string, string[]>();
  for (const { field, message, messageZh } of error.problem.errors) {
    const text = isZh(language) && messageZh ? messageZh : message;
    byField.set(field, [...(byField.get(field) ?? []), text]);
  }
  return [...byField].map(([name, errors]) => ({ name, errors }));
}

export const isStatus = (error: unknown, status: number): boolean =>
  error instanceof ApiError && error.status === status;
