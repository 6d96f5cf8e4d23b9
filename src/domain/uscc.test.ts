import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  USCC_CHARSET,
  USCC_WEIGHTS,
  computeOrgCodeCheckChar,
  computeUsccCheckChar,
  makeUscc,
  usccRegionCode,
  validateUscc,
  type UsccValidation,
} from './uscc.ts';

// Test vectors copied from the reference uscc.json (hutool CreditCodeUtilTest, repo fixtures,
// aarioai/id-rule). Copied, not read, so the tests do not depend on files outside the repo.
const VALID = [
  '91310110666007217T',
  '91310115591693856A',
  '914403001922038216',
  '9144030071526726XG',
  '91440300708461136T',
  '91330100799655058B',
  '91110000802100433B',
  '91110108551385082Q',
];
const INVALID: { code: string; expected: string }[] = [
  { code: '914403001922038217', expected: '6' },
  { code: '91330100799655058C', expected: 'B' },
  { code: '91110108717809965C', expected: 'J' },
  { code: '91110000800088421P', expected: 'W' },
  { code: '9133010057462616XH', expected: '9' },
];
// Real, legally registered Fujian pilot codes that fail the check character ("WARN, not reject").
const NONCONFORMING: { code: string; computed: string }[] = [
  { code: '91350100M0001TGQXM', computed: '1' },
  { code: '91350211M0000XUF46', computed: 'R' },
  { code: '91350203M0001FUE2P', computed: 'J' },
];

function expectOk(result: UsccValidation): Extract<UsccValidation, { ok: true }> {
  if (!result.ok) throw new Error(`expected ok, got ${result.reason}: ${result.message.en}`);
  return result;
}
function expectProblem(result: UsccValidation): Extract<UsccValidation, { ok: false }> {
  if (result.ok) throw new Error(`expected a problem, got ok for ${result.code}`);
  return result;
}

const ch31 = fc.constantFrom(...USCC_CHARSET.split(''));
const digit = fc.constantFrom(...'0123456789'.split(''));
/** 17 characters with a 6-digit region at positions 3–8, the input makeUscc expects. */
const first17 = fc
  .tuple(
    fc.array(ch31, { minLength: 2, maxLength: 2 }),
    fc.array(digit, { minLength: 6, maxLength: 6 }),
    fc.array(ch31, { minLength: 9, maxLength: 9 }),
  )
  .map(([a, b, c]) => [...a, ...b, ...c].join(''));

describe('charset and weights', () => {
  it('has 31 characters without I, O, S, V, Z', () => {
    expect(USCC_CHARSET).toHaveLength(31);
    expect(new Set(USCC_CHARSET).size).toBe(31);
    for (const letter of 'IOSVZ') expect(USCC_CHARSET).not.toContain(letter);
  });

  it('weights are 3^(i-1) mod 31 as listed in the standard', () => {
    expect(USCC_WEIGHTS).toEqual([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]);
  });
});

describe('reference test vectors', () => {
  it.each(VALID)('%s is valid with no warnings', (code) => {
    const result = expectOk(validateUscc(code));
    expect(result.code).toBe(code);
    expect(result.warnings).toEqual([]);
    expect(computeUsccCheckChar(code.slice(0, 17))).toBe(code.charAt(17));
  });

  it.each(INVALID)('$code fails the check, expected $expected', ({ code, expected }) => {
    const result = expectProblem(validateUscc(code));
    expect(result.reason).toBe('checksum');
    expect(result.message.zh).toBe(
      `统一社会信用代码校验位错误：第18位应为 ${expected}，实际为 ${code.charAt(17)}`,
    );
    expect(result.message.en).toBe(
      `Check character is wrong: position 18 should be ${expected}, found ${code.charAt(17)}`,
    );
  });

  it('invalid vectors stay invalid even with allowNonconforming (their position 9 is a digit)', () => {
    for (const { code } of INVALID) expect(validateUscc(code, { allowNonconforming: true }).ok).toBe(false);
  });

  it.each(NONCONFORMING)('$code is rejected by default (computed check $computed)', ({ code, computed }) => {
    expect(computeUsccCheckChar(code.slice(0, 17))).toBe(computed);
    const result = expectProblem(validateUscc(code));
    expect(result.reason).toBe('checksum');
  });

  it.each(NONCONFORMING)('$code is accepted with a warning when allowNonconforming', ({ code, computed }) => {
    const result = expectOk(validateUscc(code, { allowNonconforming: true }));
    // Their positions 9–17 do pass GB 11714, so the pilot warning is the only one.
    expect(result.warnings.map((w) => w.kind)).toEqual(['nonconformingPilot']);
    const pilot = result.warnings[0];
    expect(pilot?.message.zh).toContain(`应为 ${computed}`);
    expect(pilot?.message.en).toContain(`should be ${computed}, found ${code.charAt(17)}`);
  });
});

describe('GB 11714 organization code', () => {
  it('positions 9–17 of every valid vector are a valid organization code', () => {
    for (const code of VALID) expect(computeOrgCodeCheckChar(code.slice(8, 16))).toBe(code.charAt(16));
  });

  it('computes X for remainder 10 and 0 for remainder 11 (hand-computed)', () => {
    // 71526726: 7·3+1·7+5·9+2·10+6·5+7·8+2·4+6·2 = 199, 199 mod 11 = 1, 11−1 = 10 → X
    expect(computeOrgCodeCheckChar('71526726')).toBe('X');
    // 00000000: Σ = 0, 11 − 0 = 11 → 0
    expect(computeOrgCodeCheckChar('00000000')).toBe('0');
    // 10000000: Σ = 3, 11 − 3 = 8
    expect(computeOrgCodeCheckChar('10000000')).toBe('8');
  });

  it('letters count A=10 … Z=35, including letters the USCC charset excludes', () => {
    // Z0000000: 35·3 = 105, 105 mod 11 = 6, 11 − 6 = 5
    expect(computeOrgCodeCheckChar('Z0000000')).toBe('5');
  });

  it('rejects malformed bodies', () => {
    expect(() => computeOrgCodeCheckChar('1234567')).toThrow(RangeError);
    expect(() => computeOrgCodeCheckChar('1234567a')).toThrow(RangeError);
  });

  it('warns (does not reject) when the embedded organization code is wrong', () => {
    // Organization code 00000000-1 is wrong (should be -0); rebuild the USCC check so only that fails.
    const code = makeUscc('91330400000000001');
    const result = expectOk(validateUscc(code));
    expect(result.warnings.map((w) => w.kind)).toEqual(['orgCode']);
    expect(result.warnings[0]?.message.zh).toContain('00000000-1');
  });
});

describe('validateUscc problems', () => {
  it('empty and whitespace-only input', () => {
    expect(expectProblem(validateUscc('')).reason).toBe('empty');
    expect(expectProblem(validateUscc(' \u3000 ')).reason).toBe('empty');
  });

  it('length says how many characters were given', () => {
    const result = expectProblem(validateUscc('91330400MA2B'));
    expect(result.reason).toBe('length');
    expect(result.message.zh).toBe('统一社会信用代码应为18位，实际为12位');
    expect(result.message.en).toContain('found 12');
    expect(expectProblem(validateUscc('914403001922038216X')).message.zh).toContain('实际为19位');
  });

  it('charset names the excluded letter and its position', () => {
    const result = expectProblem(validateUscc('91330400MA2BI0000X'));
    expect(result.reason).toBe('charset');
    expect(result.message.zh).toContain('第13位字符“I”');
    expect(result.message.zh).toContain('I、O、S、V、Z');
    expect(result.message.en).toContain('Character 13 "I"');
  });

  it('charset names other bad characters too', () => {
    const result = expectProblem(validateUscc('9133040-0000000010'));
    expect(result.reason).toBe('charset');
    expect(result.message.zh).toContain('第8位字符“-”');
  });

  it('region must be six digits', () => {
    const code = makeUscc('9133A400000000000');
    const result = expectProblem(validateUscc(code));
    expect(result.reason).toBe('region');
    expect(result.message.zh).toContain('33A400');
  });
});

describe('normalisation', () => {
  it('trims, upper-cases and converts full-width characters', () => {
    const result = expectOk(validateUscc('\u3000 ９１３１０１１０６６６００７２１７ｔ '));
    expect(result.code).toBe('91310110666007217T');
    expect(expectOk(validateUscc('91330100799655058b')).code).toBe('91330100799655058B');
  });

  it('returns the normalised code with problems too', () => {
    expect(validateUscc(' 914403001922038217 ').code).toBe('914403001922038217');
  });

  it('usccRegionCode returns positions 3–8', () => {
    expect(usccRegionCode('91310110666007217T')).toBe('310110');
    expect(usccRegionCode('９１３３０４８３')).toBe('330483');
  });
});

describe('makeUscc and single-substitution detection', () => {
  it('maps a weighted sum of 0 mod 31 to check 0, and 1 mod 31 to Y (hand-checked Jiaxing codes)', () => {
    // Σ value·weight over positions 1–17 is 0 mod 31 → (31 − 0) mod 31 = 0
    expect(makeUscc('9133040000000022X')).toBe('9133040000000022X0');
    // Σ is 1 mod 31 → 30 → Y
    expect(makeUscc('91330400000000115')).toBe('91330400000000115Y');
    expect(validateUscc('9133040000000022X0')).toEqual({
      ok: true,
      code: '9133040000000022X0',
      warnings: [],
    });
    expect(validateUscc('91330400000000115Y')).toEqual({
      ok: true,
      code: '91330400000000115Y',
      warnings: [],
    });
  });

  it('a generated code satisfies Σ value·weight over all 18 positions ≡ 0 (mod 31), weight 1 for the check', () => {
    fc.assert(
      fc.property(first17, (body) => {
        const code = makeUscc(body);
        let sum = 0;
        for (let i = 0; i < 18; i++) sum += USCC_CHARSET.indexOf(code.charAt(i)) * (i < 17 ? 3 ** i % 31 : 1);
        expect(sum % 31).toBe(0);
      }),
    );
  });

  it('rejects malformed input', () => {
    expect(() => makeUscc('9133040000000000')).toThrow(RangeError);
    expect(() => makeUscc('9133040000000000I')).toThrow(RangeError);
  });

  it('any 17 CH31 characters with a 6-digit region make a valid code', () => {
    fc.assert(
      fc.property(first17, (body) => {
        const code = makeUscc(body);
        expect(code).toHaveLength(18);
        expect(code.startsWith(body)).toBe(true);
        expect(validateUscc(code).ok).toBe(true);
      }),
    );
  });

  it('changing any single character to another charset character makes the code invalid', () => {
    fc.assert(
      fc.property(
        first17,
        fc.integer({ min: 0, max: 17 }),
        fc.integer({ min: 1, max: 30 }),
        (body, pos, shift) => {
          const code = makeUscc(body);
          const old = USCC_CHARSET.indexOf(code.charAt(pos));
          const replacement = USCC_CHARSET.charAt((old + shift) % 31);
          const mutated = code.slice(0, pos) + replacement + code.slice(pos + 1);
          const result = validateUscc(mutated);
          expect(result.ok).toBe(false);
          if (!result.ok) expect(['checksum', 'region']).toContain(result.reason);
        },
      ),
    );
  });

  it('every substitution of the check character is detected exhaustively for a vector', () => {
    const code = VALID[0] as string;
    for (const ch of USCC_CHARSET) {
      if (ch === code.charAt(17)) continue;
      expect(validateUscc(code.slice(0, 17) + ch).ok).toBe(false);
    }
  });
});
