// The ledger: filters by measurement and by text (target or unit); a row opens the target's county breakdown.
import { useMemo, useState } from 'react';
import { Descriptions, Drawer, Input, Progress, Select, Space, Table, Tag, Typography } from 'antd';
import type { UseQueryResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { formatNumber } from '../../format.ts';
import type { LedgerAnswer, LedgerRow } from '../../../../src/modules/targets/schemas.ts';
import { useBreakdown } from './api.ts';
import { useLocalName } from '../../names.ts';

const pct = (p: number | null) => (p == null ? null : Math.round(p * 1000) / 10);

export function ValueCell({ r }: { r: LedgerRow }) {
  const { t } = useTranslation();
  const localName = useLocalName();
  if (r.value == null)
    return (
      <Typography.Text type="secondary" data-testid={`value-${r.code}`}>
        {r.measurement === 'reported'
          ? t('tgt.unreported', { unit: r.lead.map(localName).join('、') })
          : t('tgt.noData', { unit: r.dataSource })}
      </Typography.Text>
    );
  return (
    <span data-testid={`value-${r.code}`}>
      {formatNumber(r.value, 2)} {r.unit}
      <Typography.Text type="secondary"> · {t(`tgt.valueSource.${r.valueSource}`)}</Typography.Text>
    </span>
  );
}

export function LedgerTab({ ledger }: { ledger: UseQueryResult<LedgerAnswer> }) {
  const { t, i18n } = useTranslation();
  const localName = useLocalName();
  // the config gives every target an English name; units are named from the reference data
  const targetName = (r: LedgerRow) => (i18n.language === 'en' && r.nameEn ? r.nameEn : r.name);
  const [measurement, setMeasurement] = useState<string | undefined>();
  const [text, setText] = useState('');
  const [open, setOpen] = useState<LedgerRow | null>(null);
  const rows = useMemo(
    () =>
      (ledger.data?.rows ?? []).filter(
        (r) =>
          (!measurement || r.measurement === measurement) &&
          (!text || [r.name, r.nameEn, ...r.lead, ...r.support, r.reviewer].some((s) => s.includes(text))),
      ),
    [ledger.data, measurement, text],
  );
  if (ledger.error) return <ErrorResult error={ledger.error} onRetry={() => void ledger.refetch()} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Select
          allowClear
          placeholder={t('tgt.allMeasurements')}
          style={{ minWidth: 160 }}
          value={measurement}
          onChange={setMeasurement}
          options={['computed', 'reported'].map((m) => ({ value: m, label: t(`tgt.measurement.${m}`) }))}
        />
        <Input.Search allowClear placeholder={t('tgt.search')} onSearch={setText} style={{ width: 240 }} />
      </Space>
      <Table
        rowKey="code"
        size="small"
        loading={ledger.isLoading}
        dataSource={rows}
        pagination={{ pageSize: 60 }}
        scroll={{ x: 1100 }}
        data-testid="ledger-table"
        onRow={(r) => ({ onClick: () => setOpen(r), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('tgt.target'), key: 'name', render: (_, r) => targetName(r), width: 240 },
          { title: t('tgt.lead'), render: (_, r) => r.lead.map(localName).join('、'), width: 140 },
          { title: t('tgt.support'), render: (_, r) => r.support.join('、'), responsive: ['lg'] },
          {
            title: t('tgt.goal'),
            render: (_, r) => `${r.comparator} ${r.goal ?? ''} ${r.unit}`,
            width: 120,
          },
          { title: t('tgt.deadline'), dataIndex: 'deadline', width: 100, responsive: ['md'] },
          {
            title: t('tgt.measurement.computed') + '/' + t('tgt.measurement.reported'),
            render: (_, r) => (
              <Tag color={r.measurement === 'computed' ? 'blue' : 'orange'}>
                {t(`tgt.measurement.${r.measurement}`)}
              </Tag>
            ),
            width: 100,
          },
          { title: t('tgt.value'), render: (_, r) => <ValueCell r={r} />, width: 220 },
          {
            title: t('tgt.progress'),
            render: (_, r) =>
              r.progress == null ? '—' : <Progress percent={Math.min(100, pct(r.progress)!)} size="small" />,
            width: 120,
          },
        ]}
      />
      <Drawer
        open={open !== null}
        onClose={() => setOpen(null)}
        width={640}
        title={open ? targetName(open) : undefined}
      >
        {open && ledger.data && (
          <TargetView r={open} setCode={ledger.data.set.code} year={ledger.data.year} />
        )}
      </Drawer>
    </Space>
  );
}

function TargetView({ r, setCode, year }: { r: LedgerRow; setCode: string; year: number }) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const b = useBreakdown(r.countySplit === 'none' ? null : { setCode, targetCode: r.code, year });
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="target-view">
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t('tgt.lead')}>{r.lead.map(localName).join('、')}</Descriptions.Item>
        <Descriptions.Item label={t('tgt.support')}>
          {r.support.map(localName).join('、') || '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('tgt.source')}>{r.dataSource}</Descriptions.Item>
        <Descriptions.Item label={t('tgt.reviewer')}>{localName(r.reviewer)}</Descriptions.Item>
        <Descriptions.Item label={t('tgt.baseline')}>
          {r.baselineYear}
          {r.baselineValue != null ? ` · ${formatNumber(r.baselineValue, 2)} ${r.unit}` : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('tgt.goal')}>
          {r.comparator} {r.goal ?? ''} {r.unit} · {r.deadline}
        </Descriptions.Item>
        <Descriptions.Item label={t('tgt.value')}>
          <ValueCell r={r} />
        </Descriptions.Item>
        <Descriptions.Item label="口径">
          {r.policySection} · {r.measuredBy}
        </Descriptions.Item>
      </Descriptions>
      <Typography.Title level={5}>
        {t('tgt.breakdown')} · {t(`tgt.split.${r.countySplit}`)}
      </Typography.Title>
      {b.error && <ErrorResult error={b.error} />}
      {b.data && (
        <Table
          rowKey="regionCode"
          size="small"
          pagination={false}
          dataSource={b.data.rows}
          data-testid="breakdown-table"
          columns={[
            { title: t('tgt.county'), dataIndex: 'regionName' },
            {
              title: t('tgt.share'),
              render: (_, x) => (x.share == null ? '—' : `${formatNumber(x.share * 100, 1)}%`),
            },
            {
              title: t('tgt.goal'),
              render: (_, x) =>
                x.goal == null
                  ? '—'
                  : `${formatNumber(x.goal, 2)}${x.goalEntered ? ` (${t('tgt.entered')})` : ''}`,
            },
            {
              title: t('tgt.value'),
              render: (_, x) =>
                x.value != null
                  ? formatNumber(x.value, 2)
                  : x.reportStatus
                    ? t(`tgt.reportStatus.${x.reportStatus}`)
                    : '—',
            },
            {
              title: t('tgt.progress'),
              render: (_, x) => (x.progress == null ? '—' : `${formatNumber(x.progress * 100, 1)}%`),
            },
          ]}
        />
      )}
    </Space>
  );
}
