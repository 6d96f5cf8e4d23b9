// 统一社会信用代码 (unified social credit code, GB 32100-2015) and the 组织机构代码 embedded in it
// (GB 11714-1997). Sources and test vectors: the project's reference uscc.json (hutool
// CreditCodeUtil, aarioai/id-rule).
//
// Layout of the 18 characters:
//   1     登记管理部门代码   (CH31)
//   2     机构类别代码       (CH31)
//   3–8   登记管理机关行政区划码, GB/T 2260 (digits), e.g. 330400 嘉兴市
//   9–17  主体标识码 = 组织机构代码: 8 body characters + its own GB 11714 check character
//   18    校验码 over positions 1–17 (CH31)

import { toHalfWidth, type Bilingual } from './units.ts';

/** The 31 characters a USCC may use; a character's value is its index. No I, O, S, V, Z. */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** W_i = 3^(i-1) mod 31, i = 1..17. Every weight is non-zero mod the prime 31, so any single
 * substitution in positions 1–17 changes the weighted sum and is caught by the check character. */
export const USCC_WEIGHTS: readonly number[] = Array.from({ length: 17 }, (_, i) => {
  let w = 1;
  for (let k = 0; k < i; k++) w = (w * 3) % 31;
  return w;
});

const EXCLUDED_LETTERS = 'IOSVZ';

function usccValue(ch: string): number {
  const v = USCC_CHARSET.indexOf(ch);
  if (v < 0 || ch.length !== 1) throw new RangeError(`'${ch}' is not a USCC character`);
  return v;
}

/** The 18th (check) character for the first 17 characters. Throws on malformed input. */
export function computeUsccCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError(`expected 17 characters, got ${first17.length}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += usccValue(first17.charAt(i)) * (USCC_WEIGHTS[i] as number);
  return USCC_CHARSET.charAt((31 - (sum % 31)) % 31);
}

/** Appends the check character; the demo-data generator builds codes with it. */
export function makeUscc(first17: string): string {
  return first17 + computeUsccCheckChar(first17);
}

/** Positions 3–8: the registering authority's GB/T 2260 code (e.g. 330400 嘉兴市, 330483 桐乡市). */
export function usccRegionCode(code: string): string {
  return normaliseUscc(code).slice(2, 8);
}

// --- GB 11714-1997 组织机构代码 -----------------------------------------------------------------

const ORG_CODE_CHARSET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/** Check character of an 8-character organization code body: r = 11 − Σ mod 11; 10 → X, 11 → 0. */
export function computeOrgCodeCheckChar(body8: string): string {
  if (body8.length !== 8) throw new RangeError(`expected 8 characters, got ${body8.length}`);
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const v = ORG_CODE_CHARSET.indexOf(body8.charAt(i));
    if (v < 0) throw new RangeError(`'${body8.charAt(i)}' is not an organization code character`);
    sum += v * ORG_CODE_WEIGHTS[i]!;
  }
  const r = 11 - (sum % 11);
  return r === 10 ? 'X' : r === 11 ? '0' : String(r);
}

// --- Validation ---------------------------------------------------------------------------------

export type UsccProblem = 'empty' | 'length' | 'charset' | 'region' | 'checksum';

/**
 * - `orgCode`: positions 9–17 are not a valid GB 11714 organization code. The code itself may
 *   still be genuine (the 主体标识码 is not always a legacy org code), so this never rejects.
 * - `nonconformingPilot`: the check character is wrong but the code looks like one of the early
 *   pilot-region codes that are legally registered although they break the standard.
 */
export type UsccWarningKind = 'orgCode' | 'nonconformingPilot';

export interface UsccWarning {
  kind: UsccWarningKind;
  message: Bilingual;
}

export type UsccValidation =
  | { ok: true; code: string; warnings: UsccWarning[] }
  | { ok: false; code: string; reason: UsccProblem; message: Bilingual };

export interface UsccOptions {
  /**
   * Accept codes that fail only the check character when the 主体标识码 (position 9) starts with a
   * letter, as the known pilot-era codes do (e.g. 91350100M0001TGQXM, Fujian). They come back
   * `ok: true` with a `nonconformingPilot` warning, for a person to confirm against
   * 国家企业信用信息公示系统. Default false: a data-entry screen should reject typos.
   * The price of true is that a mistyped code with a letter at position 9 is only warned about.
   */
  allowNonconforming?: boolean;
}

/** Trimmed, upper-cased, full-width characters converted to half-width (as pasted from Word/WeChat). */
export function normaliseUscc(input: string): string {
  return toHalfWidth(input).trim().toUpperCase();
}

export function validateUscc(input: string, options: UsccOptions = {}): UsccValidation {
  const code = normaliseUscc(input);
  const reject = (reason: UsccProblem, message: Bilingual): UsccValidation => ({
    ok: false,
    code,
    reason,
    message,
  });

  if (code === '')
    return reject('empty', { zh: '统一社会信用代码为空', en: 'Unified social credit code is empty' });

  const chars = Array.from(code); // by code point, so a stray emoji counts as one character
  if (chars.length !== 18) {
    return reject('length', {
      zh: `统一社会信用代码应为18位，实际为${chars.length}位`,
      en: `Unified social credit code must have 18 characters, found ${chars.length}`,
    });
  }

  const badIndex = chars.findIndex((ch) => !USCC_CHARSET.includes(ch));
  if (badIndex >= 0) {
    const ch = chars[badIndex] as string;
    const pos = badIndex + 1;
    return reject(
      'charset',
      EXCLUDED_LETTERS.includes(ch)
        ? {
            zh: `第${pos}位字符“${ch}”无效：统一社会信用代码不使用字母 I、O、S、V、Z`,
            en: `Character ${pos} "${ch}" is not allowed: the letters I, O, S, V and Z are never used`,
          }
        : {
            zh: `第${pos}位字符“${ch}”无效：只能使用数字和大写字母（不含 I、O、S、V、Z）`,
            en: `Character ${pos} "${ch}" is not allowed: only digits and capital letters except I, O, S, V, Z`,
          },
    );
  }

  const region = code.slice(2, 8);
  if (!/^\d{6}$/.test(region)) {
    return reject('region', {
      zh: `第3–8位应为6位数字的行政区划码，实际为 ${region}`,
      en: `Positions 3–8 must be a 6-digit administrative division code, found ${region}`,
    });
  }

  const warnings: UsccWarning[] = [];
  const subject = code.slice(8, 17);
  if (computeOrgCodeCheckChar(subject.slice(0, 8)) !== subject.charAt(8)) {
    warnings.push({
      kind: 'orgCode',
      message: {
        zh: `第9–17位（组织机构代码 ${subject.slice(0, 8)}-${subject.charAt(8)}）不符合 GB 11714 校验规则，请核实`,
        en: `Positions 9–17 (organization code ${subject.slice(0, 8)}-${subject.charAt(8)}) fail the GB 11714 check; please verify`,
      },
    });
  }

  const expected = computeUsccCheckChar(code.slice(0, 17));
  const found = code.charAt(17);
  if (expected !== found) {
    if (options.allowNonconforming && /^[A-Z]/.test(subject)) {
      warnings.push({
        kind: 'nonconformingPilot',
        message: {
          zh: `校验位不符合国家标准（第18位按规则应为 ${expected}，实际为 ${found}）；早期试点地区的部分代码确实如此，请在国家企业信用信息公示系统核实`,
          en: `Check character does not follow the standard (position 18 should be ${expected}, found ${found}); some early pilot-region codes are like this, please verify in the national enterprise credit system`,
        },
      });
      return { ok: true, code, warnings };
    }
    return reject('checksum', {
      zh: `统一社会信用代码校验位错误：第18位应为 ${expected}，实际为 ${found}`,
      en: `Check character is wrong: position 18 should be ${expected}, found ${found}`,
    });
  }
  return { ok: true, code, warnings };
}
