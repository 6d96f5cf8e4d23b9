// 运行监测月报 (issue 21): the list of generated bulletins in the user's scope with a form to generate
// one, and each bulletin's page (preview, commentary, submit / publish, downloads). Buttons come from
// the access policy and the bulletin's own `actions` (state and four eyes applied by the server).
import { useState } from 'react';
import { Alert, Button, Form, Progress, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes } from 'react-router';
import { useCurrentUser } from '../../api/auth.ts';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { can } from '../../permissions.ts';
import './i18n.ts';
import { useBulletinOptions, useBulletins, useGenerate, type Bulletin } from './api.ts';
import { BulletinDetail } from './BulletinDetail.tsx';
import { DownloadLink } from '../../components/DownloadButton.tsx';

export default function BulletinPage() {
  return (
    <Routes>
      <Route index element={<BulletinList />} />
      <Route path=":id" element={<BulletinDetail />} />
    </Routes>
  );
}

const STATUS_COLOR: Record<string, string> = {
  pending: 'default',
  draft: 'gold',
  submitted: 'blue',
  published: 'green',
  failed: 'red',
};

export function StatusTag({ b }: { b: Bulletin }) {
  const { t } = useTranslation();
  return (
    <Space size={4} data-testid={`bulletin-status-${b.id}`}>
      <Tag color={STATUS_COLOR[b.status]}>{t(`bulletin.status.${b.status}`)}</Tag>
      {b.job && <Progress percent={b.progress} size="small" style={{ width: 90 }} status="active" />}
      {!b.job && b.error && (
        <Tooltip title={b.error}>
          <Typography.Text type="danger" data-testid={`bulletin-failure-${b.id}`}>
            {t('bulletin.failedShort', { error: b.error.slice(0, 40) })}
          </Typography.Text>
        </Tooltip>
      )}
    </Space>
  );
}

const when = (s: { name: string | null; at: string | null }) =>
  s.at ? `${s.name ?? ''} ${s.at.slice(0, 16).replace('T', ' ')}` : '—';

function GenerateForm() {
  const { t } = useTranslation();
  const options = useBulletinOptions();
  const generate = useGenerate();
  const [month, setMonth] = useState<string>();
  const [scope, setScope] = useState<string>();
  if (!options.data) return null;
  const pickedMonth = month ?? options.data.latestMonth ?? undefined;
  const pickedScope = scope ?? (options.data.scopes[0] ? key(options.data.scopes[0]) : undefined);
  const chosen = options.data.scopes.find((s) => key(s) === pickedScope);
  return (
    <Form layout="inline">
      <Form.Item label={t('bulletin.month')}>
        <Select
          data-testid="bulletin-month"
          style={{ width: 120 }}
          value={pickedMonth}
          onChange={setMonth}
          options={options.data.months.map((m) => ({ value: m, label: m }))}
        />
      </Form.Item>
      <Form.Item label={t('bulletin.scope')}>
        <Select
          data-testid="bulletin-scope"
          style={{ width: 220 }}
          value={pickedScope}
          onChange={setScope}
          options={options.data.scopes.map((s) => ({
            value: key(s),
            label: `${t(`bulletin.scopeKind.${s.kind}`)} · ${s.name}`,
          }))}
        />
      </Form.Item>
      <Button
        type="primary"
        data-testid="bulletin-generate"
        loading={generate.isPending}
        disabled={!pickedMonth || !chosen}
        onClick={() =>
          chosen &&
          pickedMonth &&
          generate.mutate({ month: pickedMonth, scopeKind: chosen.kind, scopeCode: chosen.code ?? undefined })
        }
      >
        {t('bulletin.generate')}
      </Button>
      {generate.error && <ErrorResult error={generate.error} />}
    </Form>
  );
}

const key = (s: { kind: string; code: string | null }) => `${s.kind}:${s.code ?? ''}`;

function BulletinList() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const list = useBulletins();
  if (list.error) return <ErrorResult error={list.error} onRetry={() => void list.refetch()} />;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('bulletin.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('bulletin.intro')}</Typography.Paragraph>
      {can(user, 'bulletin.report', 'create') && <GenerateForm />}
      <Table<Bulletin>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('bulletin.empty') }}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: t('bulletin.columns.month'), dataIndex: 'month' },
          {
            title: t('bulletin.columns.scope'),
            render: (_, b) => (
              <Link to={`/bulletin/${b.id}`} data-testid={`bulletin-open-${b.id}`}>
                {t(`bulletin.scopeKind.${b.scopeKind}`)} · {b.scopeName}
              </Link>
            ),
          },
          { title: t('bulletin.columns.status'), render: (_, b) => <StatusTag b={b} /> },
          { title: t('bulletin.columns.trigger'), render: (_, b) => t(`bulletin.trigger.${b.trigger}`) },
          { title: t('bulletin.columns.created'), render: (_, b) => when(b.created) },
          { title: t('bulletin.columns.published'), render: (_, b) => when(b.published) },
          {
            title: t('bulletin.columns.files'),
            render: (_, b) => <Downloads b={b} />,
          },
        ]}
      />
      {list.data?.items.some((b) => b.status === 'failed') && (
        <Alert type="warning" showIcon message={t('bulletin.status.failed')} />
      )}
    </Space>
  );
}

export function Downloads({ b }: { b: Bulletin }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  if (!can(user, 'bulletin.report', 'export')) return null;
  return (
    <Space size="small">
      {b.files.map((f) => (
        <DownloadLink
          key={f.format}
          url={`/api/bulletins/${b.id}/files/${f.format}`}
          data-testid={`bulletin-download-${f.format}-${b.id}`}
        >
          {f.format === 'pdf' ? t('bulletin.downloadPdf') : t('bulletin.downloadXlsx')}
        </DownloadLink>
      ))}
    </Space>
  );
}
