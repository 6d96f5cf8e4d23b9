// Query-string and path values read strictly. A query value is text, and Zod's coercions read too much into
// it: z.coerce.boolean() makes every non-empty text true ("false", "0" included), and z.coerce.number()
// reads "" and " " as 0, "0x10" as 16, "0b11" as 3 and "1e3" as 1000. These schemas take the plain forms
// only and refuse anything else with a 400 whose reason comes in Chinese and English (the issue's
// `params.zh`, shown by the server's validation answer), never a silent default. Shared by the
// capabilities' schemas.ts (and so the web), hence kept here: pure, no I/O.
import { z } from 'zod';
import { isMonth, MAX_YEAR, MIN_YEAR, monthYear } from './periods.ts';

/** A reason a value is refused, in both UI languages. */
interface Refusal {
  zh: string;
  en: string;
}

/** Decimal digits, an optional minus sign: no sign +, no spaces, no 0x / 0b / 0o, no exponent. */
const INTEGER = /^-?\d{1,16}$/;
/** The same with an optional decimal fraction. */
const DECIMAL = /^-?\d{1,16}(\.\d{1,20})?$/;

export const QUERY_TRUE = ['true', '1'] as const;
export const QUERY_FALSE = ['false', '0'] as const;

/**
 * One query value, read by `read` from its text. `doc` is what the OpenAPI document says of it. A value given
 * more than once (`?a=1&a=2` arrives as an array) and a missing required value are refused too.
 */
function queryValue<T>(read: (text: string) => { value: T } | Refusal, doc: Record<string, unknown>) {
  return z
    .unknown()
    .transform((input, ctx) => {
      const refuse = (r: Refusal) => {
        ctx.issues.push({ code: 'custom', message: r.en, params: { zh: r.zh }, input });
        return z.NEVER;
      };
      if (Array.isArray(input)) return refuse({ zh: '只能给出一次', en: 'must be given only once' });
      if (typeof input !== 'string') return refuse({ zh: '缺少该参数', en: 'is required' });
      const out = read(input);
      return 'value' in out ? out.value : refuse(out);
    })
    .meta(doc);
}

/** A yes/no value: true or 1, false or 0 (as the web sends it); "yes", "TRUE", "" and the rest are refused. */
export function queryBoolean() {
  return queryValue<boolean>(
    (text) =>
      (QUERY_TRUE as readonly string[]).includes(text)
        ? { value: true }
        : (QUERY_FALSE as readonly string[]).includes(text)
          ? { value: false }
          : { zh: '须为 true、false、1 或 0', en: 'must be true, false, 1 or 0' },
    { type: 'string', enum: [...QUERY_TRUE, ...QUERY_FALSE] },
  );
}

function range(min: number | undefined, max: number | undefined, zhKind: string, enKind: string): Refusal {
  if (min !== undefined && max !== undefined)
    return { zh: `须为 ${min} 至 ${max} 之间的${zhKind}`, en: `must be ${enKind} from ${min} to ${max}` };
  if (min !== undefined) return { zh: `须为不小于 ${min} 的${zhKind}`, en: `must be ${enKind} ≥ ${min}` };
  if (max !== undefined) return { zh: `须为不大于 ${max} 的${zhKind}`, en: `must be ${enKind} ≤ ${max}` };
  return { zh: `须为${zhKind}`, en: `must be ${enKind}` };
}

/** A whole number written in decimal digits, within [min, max] (both optional). */
export function queryInt(bounds: { min?: number; max?: number } = {}) {
  const { min, max } = bounds;
  const reason = range(min, max, '整数', 'a whole number');
  return queryValue<number>(
    (text) => {
      const n = Number(text);
      return INTEGER.test(text) &&
        Number.isSafeInteger(n) &&
        (min === undefined || n >= min) &&
        (max === undefined || n <= max)
        ? { value: n }
        : reason;
    },
    {
      type: 'integer',
      ...(min !== undefined && { minimum: min }),
      ...(max !== undefined && { maximum: max }),
    },
  );
}

/** A number written in decimal digits with an optional fraction ("0.5", "-1"), within [min, max]. */
export function queryNumber(bounds: { min?: number; max?: number } = {}) {
  const { min, max } = bounds;
  const reason = range(min, max, '数值', 'a decimal number');
  return queryValue<number>(
    (text) => {
      const n = Number(text);
      return DECIMAL.test(text) && (min === undefined || n >= min) && (max === undefined || n <= max)
        ? { value: n }
        : reason;
    },
    {
      type: 'number',
      ...(min !== undefined && { minimum: min }),
      ...(max !== undefined && { maximum: max }),
    },
  );
}

/** The months the platform takes: 'YYYY-MM' (periods.ts isMonth) within its plausible years, 1900–2100. */
const plausibleMonth = (text: string) =>
  isMonth(text) && monthYear(text) >= MIN_YEAR && monthYear(text) <= MAX_YEAR;
const MONTH_REFUSAL: Refusal = {
  zh: `须为 YYYY-MM 格式的月份（月份 01–12，年份 ${MIN_YEAR}–${MAX_YEAR}）`,
  en: `must be a month YYYY-MM (month 01–12, year ${MIN_YEAR}–${MAX_YEAR})`,
};
const MONTH_DOC = { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$', examples: ['2026-03'] };

/**
 * A month 'YYYY-MM' in a path or query: month 01–12, year within the platform's plausible range
 * (1900–2100, as the periods parsers take it). "2026-13", "2026-00", "2026-1", "202613" and dates are refused —
 * a free pattern \d{4}-\d{2} let "2026-13" through to be compared as text. The one reader of every route's
 * month (statistics periods, monitoring, bulletins, exports, project progress).
 */
export function queryMonth() {
  return queryValue<string>((text) => (plausibleMonth(text) ? { value: text } : MONTH_REFUSAL), MONTH_DOC);
}

/** A text of a JSON body that `valid` takes, else refused with `reason` in both languages (as query values are). */
function bodyText(valid: (text: string) => boolean, reason: Refusal, doc: Record<string, unknown>) {
  return z
    .string()
    .superRefine((text, ctx) => {
      if (!valid(text)) ctx.addIssue({ code: 'custom', message: reason.en, params: { zh: reason.zh } });
    })
    .meta(doc);
}

/**
 * A month 'YYYY-MM' in a JSON body (and in answers): the months queryMonth takes, refused with the same
 * reason. The bodies had patterns of their own that let year 0000 through to the database, which refused the
 * date: a 500 (an alert evaluation, a county's investment statistics).
 */
export const monthText = () => bodyText(plausibleMonth, MONTH_REFUSAL, MONTH_DOC);

/** A day as the platform writes it: 'YYYY-MM-DD'. */
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A day of the calendar (no 2026-02-30, no month 13) within the plausible years. */
function plausibleDay(text: string): boolean {
  const m = DAY.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  return (
    year >= MIN_YEAR &&
    year <= MAX_YEAR &&
    d.getUTCFullYear() === year &&
    d.getUTCMonth() === month - 1 &&
    d.getUTCDate() === day
  );
}

/**
 * A day 'YYYY-MM-DD' in a JSON body: a real calendar day of 1900–2100. The bodies took any
 * \d{4}-\d{2}-\d{2}, and the database refused the impossible ones: a 500 (a firm's founding date, a project's
 * milestone, a watch deadline, a negative event).
 */
export const dateText = () =>
  bodyText(
    plausibleDay,
    {
      zh: `须为 YYYY-MM-DD 格式的有效日期（年份 ${MIN_YEAR}–${MAX_YEAR}）`,
      en: `must be a day YYYY-MM-DD of the calendar (year ${MIN_YEAR}–${MAX_YEAR})`,
    },
    { type: 'string', pattern: DAY.source, examples: ['2026-03-15'] },
  );

/** A record's id in a path or query: a positive whole number. */
export const queryId = () => queryInt({ min: 1 });
