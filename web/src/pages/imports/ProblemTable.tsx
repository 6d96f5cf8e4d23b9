// The problems of an import: where (sheet, row, column, value) and why, in the UI language.
import { Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ImportDetail } from './api.ts';
import { isZh, SEVERITY_COLOR } from './labels.ts';

type Problem = ImportDetail['problems'][number];

export function ProblemTable({ problems, total }: { problems: Problem[]; total: number }) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <Table<Problem>
        size="small"
        rowKey={(p, i) => `${p.sheet}-${p.row}-${p.column}-${p.code}-${i}`}
        dataSource={problems}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        data-testid="import-problems"
        columns={[
          {
            key: 'severity',
            title: '',
            dataIndex: 'severity',
            width: 72,
            render: (s: Problem['severity']) => (
              <Tag color={SEVERITY_COLOR[s]}>{t(`imports.severity.${s}`)}</Tag>
            ),
          },
          { key: 'sheet', title: t('imports.fields.sheet'), dataIndex: 'sheet', width: 100 },
          { key: 'row', title: t('imports.fields.row'), dataIndex: 'row', width: 64 },
          { key: 'column', title: t('imports.fields.column'), dataIndex: 'column', width: 160 },
          { key: 'value', title: t('imports.fields.value'), dataIndex: 'value', width: 140 },
          {
            key: 'reason',
            title: t('imports.fields.reason'),
            render: (_, p) => (isZh(i18n.language) ? p.zh : p.en),
          },
        ]}
      />
      {total > problems.length && (
        <Typography.Text type="secondary">
          {t('imports.moreInReport', { shown: problems.length })}
        </Typography.Text>
      )}
    </>
  );
}
