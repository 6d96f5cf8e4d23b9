// Every target of a target set with its measured progress (or why it is not measured here).
import { Table, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TargetProgressRow, TargetsAnswer } from './api.ts';
import { ExportButton, growthText, StatusTag, targetValueText } from './common.tsx';

export function TargetTable({
  answer,
  clusterName,
}: {
  answer: TargetsAnswer;
  clusterName: (code: string) => string;
}) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
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
    { header: t('monitoring.actual'), value: (r: TargetProgressRow) => r.actual, format: '0.0' },
    { header: t('monitoring.actualYear'), value: (r: TargetProgressRow) => r.actualYear },
    {
      header: `${t('monitoring.progress')} (%)`,
      value: (r: TargetProgressRow) => (r.progress == null ? null : r.progress * 100),
      format: '0.0',
    },
    {
      header: t('monitoring.status.label'),
      value: (r: TargetProgressRow) => t(`monitoring.status.${r.status}`),
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
            render: (_, r) =>
              r.actualYear ? `${targetValueText(r.actual, r.unit, t)} (${r.actualYear})` : '—',
          },
          {
            title: t('monitoring.progress'),
            align: 'right',
            render: (_, r) => (r.progress == null ? '—' : `${(r.progress * 100).toFixed(1)}%`),
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
          { title: t('monitoring.status.label'), render: (_, r) => <StatusTag status={r.status} /> },
        ]}
      />
    </>
  );
}
