// Pieces shared by the monitoring pages: the view toolbar (month, 规上/规下, target set), value
// formatting (亿元 with one decimal, growth in %), xlsx export buttons and target status tags.
import { useMemo } from 'react';
import { Alert, Button, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { FileExcelOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { formatGrowth, formatNumber, MISSING } from '../../format.ts';
import type { ColumnType } from 'antd/es/table';
import type { TFunction } from 'i18next';
import { exportXlsx, yi, type SheetColumn } from './exporting.ts';
import type { Figure, MonitoringMeta, OpenMonthNote, ViewParams } from './api.ts';
import './i18n.ts';

/** View parameters kept in the URL, so a view can be bookmarked and shared. */
export function useViewParams(): [ViewParams, (patch: Partial<ViewParams>) => void] {
  const [search, setSearch] = useSearchParams();
  const params = useMemo<ViewParams>(() => {
    const scale = search.get('scale');
    return {
      month: search.get('month') ?? undefined,
      scale: scale === 'below' || scale === 'all' ? scale : 'above',
      targetSet: search.get('targetSet') ?? undefined,
    };
  }, [search]);
  const update = (patch: Partial<ViewParams>) => {
    const next = new URLSearchParams(search);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === '' || (k === 'scale' && v === 'above')) next.delete(k);
      else next.set(k, String(v));
    }
    setSearch(next, { replace: true });
  };
  return [params, update];
}

/** Every month on record, newest first. */
export function monthOptions(meta: MonitoringMeta | undefined): string[] {
  if (!meta?.firstMonth || !meta.latestMonth) return [];
  const out: string[] = [];
  let [y, m] = meta.latestMonth.split('-').map(Number) as [number, number];
  const [fy, fm] = meta.firstMonth.split('-').map(Number) as [number, number];
  while (y > fy || (y === fy && m >= fm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m -= 1;
    if (m === 0) {
      m = 12;
      y -= 1;
    }
  }
  return out;
}

/**
 * 报送未截止: the page's month is the newest on record and still open for reporting (the alert rules'
 * closed-month rule), so its figures are partial — said as the alerts board says it.
 */
export function OpenMonthAlert({ reporting }: { reporting: OpenMonthNote | undefined }) {
  const { t } = useTranslation();
  if (!reporting) return null;
  return (
    <Alert
      data-testid="monitoring-reporting-open"
      style={{ marginBottom: 16 }}
      type="warning"
      showIcon
      title={t('monitoring.reportingOpen', {
        month: reporting.month,
        firms: reporting.firms,
        before: reporting.before,
        share: Math.round(reporting.share * 100),
      })}
    />
  );
}

export function ViewToolbar({
  meta,
  params,
  update,
  month,
  showTargetSet = false,
}: {
  meta: MonitoringMeta | undefined;
  params: ViewParams;
  update: (patch: Partial<ViewParams>) => void;
  month: string | null | undefined;
  showTargetSet?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const months = monthOptions(meta);
  return (
    <Space wrap style={{ marginBottom: 16 }}>
      <span>{t('monitoring.month')}</span>
      <Select
        data-testid="monitoring-month"
        style={{ width: 130 }}
        value={params.month ?? month ?? undefined}
        options={months.map((m) => ({ value: m, label: m }))}
        onChange={(v: string) => update({ month: v === meta?.latestMonth ? undefined : v })}
        showSearch
      />
      <Select
        // Wide enough for the English "Designated size" (it was cut at 120 px).
        style={{ width: en ? 170 : 110 }}
        data-testid="monitoring-scale"
        value={params.scale}
        options={(['above', 'below', 'all'] as const).map((s) => ({
          value: s,
          label: t(`monitoring.scale.${s}`),
        }))}
        onChange={(v: ViewParams['scale']) => update({ scale: v })}
      />
      {showTargetSet && meta && (
        <>
          <span>{t('monitoring.targetSet')}</span>
          <Select
            data-testid="monitoring-target-set"
            style={{ width: 'min(460px, calc(100vw - 32px))' }}
            popupMatchSelectWidth={false}
            value={params.targetSet ?? meta.defaultTargetSet ?? undefined}
            options={meta.targetSets.map((s) => ({
              value: s.code,
              label: `${en ? s.nameEn : s.name} · ${t(`monitoring.setStatus.${s.status}`, { defaultValue: s.status })}`,
            }))}
            onChange={(v: string) => update({ targetSet: v === meta.defaultTargetSet ? undefined : v })}
          />
        </>
      )}
    </Space>
  );
}

/** The month number of 'YYYY-MM' for the 1–N月 labels: in Chinese 10, in English the month's short name. */
export function ytdMonthParam(month: string | null | undefined, language: string): { n: string; m: string } {
  const n = month ? Number(month.slice(5, 7)) : NaN;
  if (!Number.isFinite(n) || n < 1 || n > 12) return { n: 'N', m: 'N' };
  const short = new Intl.DateTimeFormat('en', { month: 'short', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2000, n - 1, 1)),
  );
  return { n: String(n), m: language === 'en' ? short : String(n) };
}

/** Units of counted things: their values are whole numbers. */
const COUNT_UNITS = new Set(['家', '个', '条', '项', '个集群']);

/** A target's unit in the UI language (the set's data are in Chinese). */
export const targetUnit = (unit: string, t: TFunction) =>
  t(`monitoring.targetUnits.${unit}`, { defaultValue: unit });

/** A target's value with its unit: counts as integers, other values with at most one decimal. */
export function targetValueText(value: number | null | undefined, unit: string, t: TFunction): string {
  if (value == null || !Number.isFinite(value)) return MISSING;
  const digits = COUNT_UNITS.has(unit) ? 0 : Number.isInteger(value) ? 0 : 1;
  const u = targetUnit(unit, t);
  return `${formatNumber(value, digits)}${u ? ` ${u}` : ''}`;
}

/** 万元 → '1,234.5' 亿元 (number only; the unit is in the column header). */
export const yiText = (wanYuan: number | null | undefined) =>
  wanYuan == null || !Number.isFinite(wanYuan) ? MISSING : formatNumber(wanYuan / 10_000);
export const pctText = (ratio: number | null | undefined) =>
  ratio == null || !Number.isFinite(ratio) ? MISSING : `${formatNumber(ratio * 100)}%`;
export const growthText = (ratio: number | null | undefined) => formatGrowth(ratio ?? null);
export const numText = (v: number | null | undefined, digits = 2) =>
  v == null || !Number.isFinite(v) ? MISSING : formatNumber(v, digits);

export function Growth({ value }: { value: number | null | undefined }) {
  if (value == null || !Number.isFinite(value)) return <span>{MISSING}</span>;
  const color = value > 0.0005 ? '#cf1322' : value < -0.0005 ? '#3f8600' : undefined; // 红涨绿跌, as Chinese statistics show
  return <span style={{ color }}>{formatGrowth(value)}</span>;
}

/** The output columns every monitoring table shows, in this order: 本月, 同比, 1–N月累计, 累计同比 (亿元). */
export function outputTableColumns<T extends { output: Figure }>(t: TFunction): ColumnType<T>[] {
  const yiTitle = (key: string) => `${t(key)} (${t('units.yiYuan')})`;
  return [
    { title: yiTitle('monitoring.monthOutput'), align: 'right', render: (_, r) => yiText(r.output.month) },
    { title: t('monitoring.yoy'), align: 'right', render: (_, r) => <Growth value={r.output.yoy} /> },
    { title: yiTitle('monitoring.ytdOutput'), align: 'right', render: (_, r) => yiText(r.output.ytd) },
    { title: t('monitoring.ytdYoy'), align: 'right', render: (_, r) => <Growth value={r.output.ytdYoy} /> },
  ];
}

/** The same output figures as xlsx columns: 本月 and 累计 in 亿元, 累计同比 in %. */
export function outputSheetColumns<T extends { output: Figure }>(t: TFunction): SheetColumn<T>[] {
  return [
    {
      header: `${t('monitoring.monthOutput')} (${t('units.yiYuan')})`,
      value: (r) => yi(r.output.month),
      format: '0.0',
    },
    {
      header: `${t('monitoring.ytdOutput')} (${t('units.yiYuan')})`,
      value: (r) => yi(r.output.ytd),
      format: '0.0',
    },
    {
      header: `${t('monitoring.ytdYoy')} (%)`,
      value: (r) => (r.output.ytdYoy == null ? null : r.output.ytdYoy * 100),
      format: '0.0',
    },
  ];
}

export function ExportButton<T>({
  fileName,
  title,
  columns,
  rows,
  testId,
}: {
  fileName: string;
  title: string;
  columns: SheetColumn<T>[];
  rows: readonly T[];
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <Tooltip title={t('monitoring.export.xlsx')}>
      <Button
        size="small"
        icon={<FileExcelOutlined />}
        data-testid={testId}
        onClick={() => void exportXlsx(`${fileName}.xlsx`, title, columns, rows)}
      >
        xlsx
      </Button>
    </Tooltip>
  );
}

const STATUS_COLOR: Record<string, string> = {
  achieved: 'green',
  missed: 'red',
  on_track: 'green',
  at_risk: 'orange',
  off_track: 'red',
  no_data: 'default',
  no_goal: 'default',
  not_measured: 'default',
};

export function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOR[status] ?? 'default'}>
      {t(`monitoring.status.${status}`, { defaultValue: status })}
    </Tag>
  );
}

/** Marks a row whose figures disclosure control withholds from this user (the rule in a tooltip). */
export function Withheld({ reason }: { reason: string | undefined }) {
  const { t } = useTranslation();
  if (!reason) return null;
  return (
    <Tooltip title={t('monitoring.withheldWhy', { rule: t(`monitoring.withheldRule.${reason}`) })}>
      <Tag data-testid="withheld" style={{ marginInlineStart: 4 }}>
        {t('monitoring.withheld')}
      </Tag>
    </Tooltip>
  );
}

export function Note({ children }: { children: React.ReactNode }) {
  return (
    <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 0 }}>
      {children}
    </Typography.Paragraph>
  );
}
