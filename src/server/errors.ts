// Errors the user can act on, sent as RFC 9457 problem+json with the message in Chinese and English.
export interface FieldError {
  field: string;
  message: string;
  messageZh?: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly detailZh: string,
    readonly errors?: FieldError[],
  ) {
    super(detail);
  }
}

export const notFound = (what = 'resource') =>
  new AppError(
    404,
    'not-found',
    `The ${what} does not exist or is not visible to you.`,
    '不存在或无权查看。',
  );

export const forbidden = (detail = 'You are not allowed to do this.', detailZh = '您无权执行此操作。') =>
  new AppError(403, 'forbidden', detail, detailZh);

export const unauthorized = () => new AppError(401, 'unauthorized', 'Please log in first.', '请先登录。');

export const badRequest = (detail: string, detailZh: string, errors?: FieldError[]) =>
  new AppError(400, 'bad-request', detail, detailZh, errors);

export const conflict = (detail: string, detailZh: string, errors?: FieldError[]) =>
  new AppError(409, 'conflict', detail, detailZh, errors);

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

export function problemBody(
  status: number,
  code: string,
  detail: string,
  detailZh?: string,
  errors?: FieldError[],
) {
  return {
    type: `https://clusterscope.dev/problems/${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    ...(detailZh ? { detailZh } : {}),
    ...(errors?.length ? { errors } : {}),
  };
}
