// The problems of an import by severity — errors, warnings, notices apart, each with its exact count —
// paged from the server. At most 5,000 are stored per import: the tab says so ("显示前 5,000 条，共 N 条")
// and the problem report has them all.
import { useState } from 'react';
import { Table, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ImportDetail } from './api.ts';
import { isZh, SEVERITY_COLOR } from './labels.ts';
import { useProblems, type Severity } from './recoveryApi.ts';

type Problem = ImportDetail['problems'][number];
const SEVERITIES: Severity[] = ['error', 'warning', 'notice'];

function ProblemList({
  id,
  severity,
  found,
  stamp,
}: {
  id: number;
  severity: Severity;
  found: number;
  stamp: string;
}) {
  const { t, i18n } = useTranslation();
  const [page, setPage] = useState(1);
  const list = useProblems(id, severity, page, stamp);
  const stored = list.data?.total ?? 0;
  const exact = Math.max(found, list.data?.found ?? 0);
  return (
    <>
      <Table<Problem>
        size="small"
        loading={list.isLoading}
        rowKey={(p) => `${p.sheet}-${p.row}-${p.column}-${p.code}-${p.value}`}
        dataSource={list.data?.items}
        pagination={{
          current: page,
          pageSize: 20,
          total: stored,
          onChange: setPage,
          hideOnSinglePage: true,
          showSizeChanger: false,
        }}
        data-testid={`import-problems-${severity}`}
        columns={[
          { key: 'file', title: t('imports.fields.file'), dataIndex: 'file', width: 160 },
          { key: 'sheet', title: t('imports.fields.sheet'), dataIndex: 'sheet', width: 100 },
          { key: 'row', title: t('imports.fields.row'), dataIndex: 'row', width: 64 },
          { key: 'column', title: t('imports.fields.column'), dataIndex: 'column', width: 160 },
          { key: 'value', title: t('imports.fields.value'), dataIndex: 'value', width: 160 },
          {
            key: 'reason',
            title: t('imports.fields.reason'),
            render: (_, p) => (isZh(i18n.language) ? p.zh : p.en),
          },
        ]}
      />
      {list.data && exact > stored && (
        <Typography.Text type="secondary" data-testid={`import-problems-${severity}-capped`}>
          {t('imports.capped', { shown: stored.toLocaleString(), found: exact.toLocaleString() })}
        </Typography.Text>
      )}
    </>
  );
}

export function ProblemTabs({ detail }: { detail: ImportDetail }) {
  const { t } = useTranslation();
  const counts = detail.counts;
  const present = SEVERITIES.filter((s) => (counts[s] ?? 0) > 0);
  const [active, setActive] = useState<Severity | undefined>();
  if (present.length === 0) return null;
  return (
    <Tabs
      size="small"
      activeKey={active && present.includes(active) ? active : present[0]}
      onChange={(k) => setActive(k as Severity)}
      data-testid="import-problems"
      items={present.map((s) => ({
        key: s,
        label: (
          <span data-testid={`import-problems-tab-${s}`}>
            <Tag color={SEVERITY_COLOR[s]}>{t(`imports.severity.${s}`)}</Tag>
            {t('imports.problemCount', { count: counts[s] ?? 0, n: (counts[s] ?? 0).toLocaleString() })}
          </span>
        ),
        children: (
          <ProblemList
            id={detail.id}
            severity={s}
            found={counts[s] ?? 0}
            stamp={`${detail.status}|${detail.finishedAt ?? ''}`}
          />
        ),
      }))}
    />
  );
}
