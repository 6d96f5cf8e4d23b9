// 风险画像: a firm's, cluster's or county's signals over the last three years, each with the thresholds of
// the rules on it drawn as lines, and the subject's alerts.
import { useMemo, useState } from 'react';
import { Alert, Card, Col, Empty, Row, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { errorMessage } from '../../api/client.ts';
import type { AlertView } from '../../../../src/modules/alerts/schemas.ts';
import { Chart } from '../projects/Chart.tsx';
import { esc, useProfile } from './api.ts';
import { evidenceText, HandleDrawer, LEVEL_COLOR, LevelTag } from './labels.tsx';
import './i18n.ts';

const LINE_COLOR: Record<string, string> = { red: '#f5222d', orange: '#fa8c16', yellow: '#d4b106' };

export default function ProfilePage() {
  const { t, i18n } = useTranslation();
  const key = decodeURIComponent(useParams().key ?? '');
  const profile = useProfile(key);
  const [open, setOpen] = useState<number | null>(null);
  const charts = useMemo(
    () =>
      (profile.data?.signals ?? [])
        .filter((s) => s.values.some((v) => v != null))
        .map((s) => ({
          signal: s.signal,
          option: {
            grid: { left: 48, right: 16, top: 24, bottom: 28 },
            tooltip: {
              trigger: 'axis',
              formatter: (ps: { axisValue: string; value: number | null }[]) =>
                `${esc(ps[0]?.axisValue)}<br/>${esc(t(`alerts.signal.${s.signal}`))}: ${esc(ps[0]?.value ?? '—')}`,
            },
            xAxis: { type: 'category', data: profile.data!.months },
            yAxis: { type: 'value', scale: true },
            series: [
              {
                type: 'line',
                data: s.values,
                connectNulls: false,
                showSymbol: false,
                markLine: {
                  symbol: 'none',
                  data: s.thresholds.map((th) => ({
                    yAxis: th.op === 'abs>=' ? th.value : th.value,
                    lineStyle: { color: LINE_COLOR[th.level], type: 'dashed' },
                    label: {
                      formatter: () => esc(`${t(`alerts.level.${th.level}`)} ${th.op} ${th.value}`),
                      color: LINE_COLOR[th.level],
                    },
                  })),
                },
              },
            ],
          },
        })),
    [profile.data, t],
  );
  if (profile.error) return <Alert type="error" message={errorMessage(profile.error, i18n.language)} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="profile-title">
          {t('alerts.profile')} · {profile.data?.name ?? key}
        </Typography.Title>
        <Space>
          {key.startsWith('firm:') && (
            <Link to={`/enterprises/${key.slice(5)}`}>{t('alerts.subjectKind.firm')}</Link>
          )}
          <Link to="/alerts">{t('alerts.board')}</Link>
        </Space>
      </Space>
      {profile.data && (
        <Typography.Text type="secondary">
          {t('alerts.ruleSetVersion', { v: profile.data.ruleSetVersion })} · {t('alerts.threshold')}:{' '}
          {Object.entries(LEVEL_COLOR).map(([l]) => (
            <span key={l} style={{ color: LINE_COLOR[l], marginRight: 8 }}>
              — {t(`alerts.level.${l}`)}
            </span>
          ))}
        </Typography.Text>
      )}
      <Row gutter={[16, 16]}>
        {charts.length === 0 && !profile.isLoading && <Empty description={t('alerts.noData')} />}
        {charts.map((c) => (
          <Col xs={24} lg={12} key={c.signal}>
            <Card size="small" title={t(`alerts.signal.${c.signal}`)}>
              <Chart option={c.option} height={220} testId={`profile-${c.signal}`} />
            </Card>
          </Col>
        ))}
      </Row>
      <Table<AlertView>
        rowKey="id"
        size="small"
        dataSource={profile.data?.alerts ?? []}
        columns={[
          { title: t('alerts.col.level'), dataIndex: 'level', render: (v: string) => <LevelTag level={v} /> },
          {
            title: t('alerts.col.rule'),
            dataIndex: 'ruleNameZh',
            render: (_: unknown, a) => (i18n.language === 'en' ? a.ruleNameEn : a.ruleNameZh),
          },
          { title: t('alerts.col.evidence'), key: 'e', render: (_: unknown, a) => evidenceText(a, t) },
          {
            title: t('alerts.col.status'),
            dataIndex: 'status',
            render: (v: string) => t(`alerts.status.${v}`),
          },
          {
            title: t('alerts.col.action'),
            key: 'a',
            render: (_: unknown, a) => <a onClick={() => setOpen(a.id)}>{t('alerts.handle')}</a>,
          },
        ]}
      />
      <HandleDrawer id={open} onClose={() => setOpen(null)} />
    </Space>
  );
}
