// How a criterion and its outcome read on the page: "研发费用占营业收入比重 ≥ 3 %", "2.9 %（差 0.1 %）".
import { Tag, Tooltip } from 'antd';
import type { TFunction } from 'i18next';

export interface CriterionView {
  key: string;
  labelZh: string;
  labelEn?: string;
  op?: string;
  value?: number;
  unit?: string;
  testable?: boolean;
  note?: string;
  metric?: string;
}
export interface OutcomeView {
  key: string;
  status: 'met' | 'missed' | 'no_data' | 'manual';
  value?: number;
  gap?: number;
}

const OP: Record<string, string> = { '>=': '≥', '>': '>', '<=': '≤', '<': '<' };

export function fmt(v: number, unit?: string): string {
  const digits = Math.abs(v) >= 100 ? 0 : 2;
  const n = v.toLocaleString('zh-CN', { maximumFractionDigits: digits });
  return unit ? `${n} ${unit}` : n;
}

export function criterionText(c: CriterionView, lang: string): string {
  const label = lang === 'en' && c.labelEn ? c.labelEn : c.labelZh;
  if (c.testable === false || c.op === undefined || c.value === undefined) return label;
  return `${label} ${OP[c.op] ?? c.op} ${fmt(c.value, c.unit)}`;
}

export function OutcomeTag({ c, o, t }: { c: CriterionView; o: OutcomeView | undefined; t: TFunction }) {
  if (!o) return null;
  switch (o.status) {
    case 'met':
      return <Tag color="green">{fmt(o.value!, c.unit)} ✓</Tag>;
    case 'missed':
      return (
        <Tag color="orange">
          {fmt(o.value!, c.unit)}（{t('cultivation.gap')} {fmt(o.gap!, c.unit)}）
        </Tag>
      );
    case 'no_data':
      return <Tag>{t('cultivation.noData')}</Tag>;
    case 'manual':
      return (
        <Tooltip title={c.note}>
          <Tag color="blue">{t('cultivation.manual')}</Tag>
        </Tooltip>
      );
  }
}
