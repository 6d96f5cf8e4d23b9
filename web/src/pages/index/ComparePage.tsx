// Two editions side by side: what the method changes, and each cluster's (or cell's) score and rank.
import { useState } from 'react';
import { Card, Empty, List, Segmented, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageLoading } from '../../components/PageLoading.tsx';
import { EditionPicker } from './shared.tsx';
import { useCompare, useEditions, type Level } from './api.ts';
import { fmt } from './escape.ts';
import { useLocalName } from '../../names.ts';

export function ComparePage() {
  const { t } = useTranslation();
  // answers name clusters and counties in Chinese: the table shows the UI language's names (issue 14)
  const localName = useLocalName();
  const editions = useEditions();
  const items = editions.data?.items ?? [];
  const [a, setA] = useState<number | null>(null);
  const [b, setB] = useState<number | null>(null);
  const [level, setLevel] = useState<Level>('cluster');
  const ea = a ?? items[1]?.id ?? null;
  const eb = b ?? items[0]?.id ?? null;
  const cmp = useCompare(ea && eb ? { a: ea, b: eb, level } : null);
  if (editions.isLoading) return <PageLoading />;
  if (items.length < 2) return <Empty description={t('clusterIndex.noEdition')} />;
  return (
    <div data-testid="index-compare">
      <Space wrap style={{ marginBottom: 12 }}>
        {t('clusterIndex.compareA')} <EditionPicker value={ea} onChange={setA} />
        {t('clusterIndex.compareB')} <EditionPicker value={eb} onChange={setB} />
        <Segmented
          value={level}
          onChange={(v) => setLevel(v as Level)}
          options={[
            { value: 'cluster', label: t('clusterIndex.cluster') },
            { value: 'county', label: `${t('clusterIndex.cluster')}×${t('clusterIndex.county')}` },
          ]}
        />
      </Space>
      {cmp.data && (
        <>
          <Card size="small" title={t('clusterIndex.changes')}>
            {cmp.data.changes.length ? (
              <List
                size="small"
                dataSource={cmp.data.changes}
                renderItem={(c) => (
                  <List.Item>
                    <Typography.Text code>{c.path}</Typography.Text>: {JSON.stringify(c.before)} →{' '}
                    {JSON.stringify(c.after)}
                  </List.Item>
                )}
              />
            ) : (
              t('clusterIndex.noChanges')
            )}
          </Card>
          <Table
            style={{ marginTop: 12 }}
            size="small"
            rowKey={(r) => `${r.clusterCode}|${r.regionCode ?? ''}`}
            dataSource={cmp.data.items}
            pagination={{ pageSize: 40 }}
            columns={[
              {
                title: t('clusterIndex.cluster'),
                dataIndex: 'clusterName',
                render: (v: string) => localName(v),
              },
              {
                title: t('clusterIndex.county'),
                dataIndex: 'regionName',
                render: (v: string | null) => localName(v),
              },
              {
                title: `${t('clusterIndex.score')} A`,
                dataIndex: 'scoreA',
                align: 'right',
                render: (v) => fmt(v),
              },
              {
                title: `${t('clusterIndex.score')} B`,
                dataIndex: 'scoreB',
                align: 'right',
                render: (v) => fmt(v),
              },
              {
                title: t('clusterIndex.delta'),
                key: 'd',
                align: 'right',
                render: (_, r) => (r.scoreA !== null && r.scoreB !== null ? fmt(r.scoreB - r.scoreA) : '—'),
              },
              { title: `${t('clusterIndex.rank')} A`, dataIndex: 'rankA', align: 'right' },
              { title: `${t('clusterIndex.rank')} B`, dataIndex: 'rankB', align: 'right' },
            ]}
          />
        </>
      )}
    </div>
  );
}
