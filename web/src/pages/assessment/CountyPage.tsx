// A county's assessment page: for every point, where it came from — value, 基数值, 目标值, weight, the
// points it earned, the data source with the inputs and records behind it, or why it is missing — and
// the ranks the county gets when each dimension weight moves ±5. Printable as a one-page PDF.
import { Link, useParams } from 'react-router';
import { PageLoading } from '../../components/PageLoading.tsx';
import { Alert, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../api/auth.ts';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { can } from '../../permissions.ts';
import { fmt, useCountyDetail } from './api.ts';
import '../platforms/i18n.ts';
import { useLocalName } from '../../names.ts';
import { DownloadLink } from '../../components/DownloadButton.tsx';

export default function CountyPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const localName = useLocalName();
  const params = useParams();
  const id = Number(params.id);
  const code = String(params.code);
  const q = useCountyDetail(id, code);
  if (q.error) return <ErrorResult error={q.error} onRetry={() => void q.refetch()} />;
  const d = q.data;
  if (!d) return <PageLoading />;
  const c = d.county;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Link to="/assessment">← {t('assessment.back')}</Link>
      <Typography.Title level={3} style={{ margin: 0 }} data-testid="county-title">
        {localName(c.name)} · {d.title}
      </Typography.Title>
      <Descriptions size="small" bordered column={{ xs: 1, md: 3 }}>
        <Descriptions.Item label={t('assessment.total')}>
          <b data-testid="county-total">{fmt(c.total)}</b>
          {c.advanced && (
            <Tag color="gold" style={{ marginLeft: 8 }}>
              {t('assessment.advanced')}
            </Tag>
          )}
          {c.vetoed && (
            <Tag color="red" style={{ marginLeft: 8 }}>
              {t('assessment.vetoed')}
            </Tag>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('assessment.rank')}>
          {c.tier} · {c.rank}
        </Descriptions.Item>
        <Descriptions.Item label={t('assessment.status')}>
          {t('assessment.version', { v: d.version })} · {d.status} ·{' '}
          {t('assessment.throughMonth', { year: d.year, m: d.throughMonth ?? '—' })}
        </Descriptions.Item>
        {c.dimensions.map((x) => (
          <Descriptions.Item key={x.key} label={`${x.nameZh}（${x.weight}）`}>
            {fmt(x.score, 1)}% → {fmt(x.contribution)}
          </Descriptions.Item>
        ))}
      </Descriptions>
      {c.adjustments.length > 0 && (
        <Alert
          type={c.vetoed ? 'error' : 'info'}
          message={t('assessment.adjustments')}
          description={c.adjustments
            .map(
              (a) =>
                `${a.kind === 'veto' ? t('assessment.vetoed') : `${a.kind === 'bonus' ? '+' : '−'}${a.points}`}：${a.reason}`,
            )
            .join('；')}
        />
      )}
      <Typography.Text type="secondary">{t('assessment.formula')}</Typography.Text>
      <Table
        rowKey="key"
        size="small"
        pagination={false}
        dataSource={c.indicators}
        scroll={{ x: 1000 }}
        data-testid="county-indicators"
        columns={[
          { title: t('assessment.indicator'), dataIndex: 'nameZh' },
          {
            title: t('assessment.value'),
            align: 'right',
            render: (_, i) =>
              i.value === null ? <Tag>{t('assessment.missing')}</Tag> : `${fmt(i.value)} ${i.unit}`,
          },
          { title: t('assessment.base'), dataIndex: 'base', align: 'right' },
          { title: t('assessment.target'), dataIndex: 'target', align: 'right' },
          { title: t('assessment.share'), align: 'right', render: (_, i) => `${fmt(i.share * 100, 1)}%` },
          { title: t('assessment.weight'), align: 'right', render: (_, i) => fmt(i.weight, 2) },
          { title: t('assessment.points'), align: 'right', render: (_, i) => <b>{fmt(i.points)}</b> },
          {
            title: t('assessment.provenance'),
            render: (_, i) => (
              <div data-testid={`provenance-${i.key}`}>
                <div>{i.provenance.source.split(' · ').map(localName).join(' · ')}</div>
                <Typography.Text type="secondary">{i.provenance.basis}</Typography.Text>
                {Object.entries(i.provenance.inputs).map(([k, v]) => (
                  <div key={k}>
                    {k}：{typeof v === 'number' ? fmt(v) : (v ?? '—')}
                  </div>
                ))}
                {i.provenance.refs.map((r) => (
                  <div key={r}>
                    <Typography.Text type="secondary">{r}</Typography.Text>
                  </div>
                ))}
                {i.missing && <Typography.Text type="warning">{i.missing}</Typography.Text>}
              </div>
            ),
          },
        ]}
      />
      <Table
        rowKey={(s) => `${s.dimension}${s.change}`}
        size="small"
        pagination={false}
        dataSource={d.sensitivity}
        columns={[
          { title: t('assessment.dimension'), dataIndex: 'nameZh' },
          { title: t('assessment.change'), render: (_, s) => (s.change > 0 ? `+${s.change}` : s.change) },
          { title: t('assessment.rank'), dataIndex: 'rank' },
        ]}
      />
      {can(user, 'assessment.county', 'export') && (
        <DownloadLink
          url={`/api/assessment/editions/${id}/counties/${code}/report.pdf`}
          data-testid="county-pdf"
        >
          {t('assessment.pdf')}
        </DownloadLink>
      )}
    </Space>
  );
}
