// Every target of a target set with its measured progress. What monitoring does not measure comes from
// the target ledger: the latest approved reported value (who reported it, for which year, approved when),
// or the ledger's own computation, or an honest "未填报 · <lead unit>".
import { Table, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../api/auth.ts';
import { can } from '../../permissions.ts';
import { useLedgerOfSet, type TargetProgressRow, type TargetsAnswer } from './api.ts';
import { ExportButton, growthText, StatusTag, targetValueText, Withheld } from './common.tsx';
import type { LedgerRow } from '../../../../src/modules/targets/schemas.ts';

export function TargetTable({
  answer,
  clusterName,
}: {
  answer: TargetsAnswer;
  clusterName: (code: string) => string;
}) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const user = useCurrentUser();
  const ledger = useLedgerOfSet(answer.set.code, can(user, 'targets.ledger', 'read'));
  const fromLedger = new Map((ledger.data?.rows ?? []).map((r) => [r.code, r]));
  /** the ledger's row for a target monitoring does not measure */
  const other = (r: TargetProgressRow): LedgerRow | undefined =>
    r.status === 'not_measured' ? fromLedger.get(r.code) : undefined;
  const reportedText = (l: LedgerRow) =>
    l.valueSource === 'computed'
      ? t('monitoring.ledger.computed')
      : l.valueSource === 'none'
        ? t('monitoring.ledger.unreported', { unit: l.lead.join('、') })
        : t('monitoring.ledger.reported', {
            by: l.reportedBy ?? l.lead.join('、'),
            year: l.valueYear,
            at: l.approvedAt ?? '',
          });
  const actualOf = (r: TargetProgressRow) => {
    const l = other(r);
    return l ? l.value : r.actual;
  };
  // A goal without a number (智能家居 "超10亿元企业群") says so instead of a bare comparator.
  const goalText = (r: TargetProgressRow) =>
    r.goal == null ? t('monitoring.noNumber') : `${r.comparator} ${targetValueText(r.goal, r.unit, t)}`;
  const columns = [
    { header: t('monitoring.target'), value: (r: TargetProgressRow) => (en ? r.nameEn : r.name) },
    {
      header: t('monitoring.cluster'),
      value: (r: TargetProgressRow) => (r.clusterCode ? clusterName(r.clusterCode) : ''),
    },
    {
      header: t('monitoring.goal'),
      value: (r: TargetProgressRow) => goalText(r),
    },
    { header: t('monitoring.actual'), value: actualOf, format: '0.0' },
    {
      header: t('monitoring.actualYear'),
      value: (r: TargetProgressRow) => (other(r) ? other(r)!.valueYear : r.actualYear),
    },
    {
      header: `${t('monitoring.progress')} (%)`,
      value: (r: TargetProgressRow) => {
        const p = other(r) ? other(r)!.progress : r.progress;
        return p == null ? null : p * 100;
      },
      format: '0.0',
    },
    {
      header: t('monitoring.status.label'),
      value: (r: TargetProgressRow) => {
        const l = other(r);
        return l ? reportedText(l) : t(`monitoring.status.${r.status}`);
      },
    },
    { header: t('monitoring.deadline'), value: (r: TargetProgressRow) => r.deadline },
    { header: t('monitoring.measuredBy'), value: (r: TargetProgressRow) => r.measuredBy },
  ];
  return (
    <>
      <div style={{ textAlign: 'right', marginBottom: 8 }}>
        <ExportButton
          fileName={`targets-${answer.set.code}-${answer.asOf}`}
          title={`${answer.set.name} (${answer.asOf})`}
          columns={columns}
          rows={answer.targets}
        />
      </div>
      <Table<TargetProgressRow>
        size="small"
        rowKey="code"
        dataSource={answer.targets}
        pagination={{ pageSize: 15, hideOnSinglePage: true }}
        data-testid="target-table"
        columns={[
          {
            title: t('monitoring.target'),
            render: (_, r) => <Tooltip title={r.note ?? r.measuredBy}>{en ? r.nameEn : r.name}</Tooltip>,
          },
          {
            title: t('monitoring.goal'),
            render: (_, r) => goalText(r),
          },
          {
            title: t('monitoring.actual'),
            align: 'right',
            render: (_, r) => {
              const l = other(r);
              if (l)
                return l.value != null && l.valueYear
                  ? `${targetValueText(l.value, r.unit, t)} (${l.valueYear})`
                  : '—';
              if (r.suppressed)
                return (
                  <>
                    —<Withheld reason={r.suppressed} />
                  </>
                );
              return r.actualYear ? `${targetValueText(r.actual, r.unit, t)} (${r.actualYear})` : '—';
            },
          },
          {
            title: t('monitoring.progress'),
            align: 'right',
            render: (_, r) => {
              const p = other(r) ? other(r)!.progress : r.progress;
              return p == null ? '—' : `${(p * 100).toFixed(1)}%`;
            },
          },
          {
            title: t('monitoring.growthNeeded'),
            align: 'right',
            render: (_, r) => growthText(r.growthNeeded),
          },
          {
            title: t('monitoring.growthAchieved'),
            align: 'right',
            render: (_, r) => growthText(r.growthAchieved),
          },
          { title: t('monitoring.deadline'), dataIndex: 'deadline' },
          {
            title: t('monitoring.status.label'),
            render: (_, r) => {
              const l = other(r);
              if (!l) return <StatusTag status={r.status} />;
              return (
                <Tag color={l.valueSource === 'none' ? 'default' : 'blue'} data-testid={`ledger-${r.code}`}>
                  {reportedText(l)}
                </Tag>
              );
            },
          },
        ]}
      />
    </>
  );
}
