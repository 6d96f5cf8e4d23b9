// GB/T 4754 codes of a chain node as a tag list. Codes are offered from the reference industries
// (division, group, class: 2–4 digits) with their names; a typed code that is not in the reference is
// shown red and refused by `industryCodesRule` (the server checks the same).
import { useMemo } from 'react';
import { Select, Tag, Tooltip, type FormRule } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useIndustries } from '../../api/reference.ts';

const CODE = /^\d{2,4}$/;

/** The reference industries a node may name: code → name. */
export function useIndustryNames(): { names: Map<string, string> | null; loading: boolean } {
  const industries = useIndustries({});
  const names = useMemo(
    () =>
      industries.data
        ? new Map(industries.data.filter((i) => CODE.test(i.code)).map((i) => [i.code, i.name]))
        : null,
    [industries.data],
  );
  return { names, loading: industries.isLoading };
}

/** The codes of `codes` that are malformed or unknown (unknown only once the reference is loaded). */
export function badCodes(codes: readonly string[], names: Map<string, string> | null): string[] {
  return codes.filter((c) => !CODE.test(c) || (names !== null && !names.has(c)));
}

export function industryCodesRule(names: Map<string, string> | null, t: TFunction): FormRule {
  return {
    validator: async (_rule, value: string[] | undefined) => {
      const bad = badCodes(value ?? [], names);
      if (bad.length) throw new Error(t('chains.edit.unknownCodes', { codes: bad.join('、') }));
    },
  };
}

export function IndustryCodesInput({
  value,
  onChange,
  names,
  loading,
}: {
  value?: string[];
  onChange?: (v: string[]) => void;
  names: Map<string, string> | null;
  loading: boolean;
}) {
  const { t } = useTranslation();
  const options = useMemo(
    () =>
      [...(names ?? new Map<string, string>())].map(([code, name]) => ({
        value: code,
        label: `${code} ${name}`,
      })),
    [names],
  );
  return (
    <Select
      mode="tags"
      value={value}
      onChange={(v: string[]) => onChange?.(v.map((c) => c.trim()).filter(Boolean))}
      options={options}
      loading={loading}
      tokenSeparators={[',', '，', ' ', '、']}
      placeholder={t('chains.edit.codesPlaceholder')}
      optionFilterProp="label"
      data-testid="node-industry-codes"
      tagRender={({ value: code, closable, onClose }) => {
        const c = String(code);
        const bad = badCodes([c], names).length > 0;
        return (
          <Tooltip title={bad ? t('chains.edit.unknownCode') : names?.get(c)}>
            <Tag
              color={bad ? 'red' : 'blue'}
              closable={closable}
              onClose={onClose}
              style={{ marginInlineEnd: 4 }}
            >
              {c}
            </Tag>
          </Tooltip>
        );
      }}
    />
  );
}
