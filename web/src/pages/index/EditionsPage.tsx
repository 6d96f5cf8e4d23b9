// The editions of the index: status, who drafted, reviewed and published; a new draft (with its reason
// once something is published); the switch of the public view.
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, InputNumber, Space, Switch, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { can } from '../../../../src/domain/policy/index.ts';
import { useCurrentUser } from '../../api/auth.ts';
import { ApiError } from '../../api/client.ts';
import { useCreateEdition, useEditions, useSetSettings, useSettings } from './api.ts';

export function EditionsPage() {
  const { t, i18n } = useTranslation();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const editions = useEditions();
  const create = useCreateEdition();
  const mayDraft = can(user, 'index.edition', 'manage');
  const mayPublicRead = can(user, 'index.settings', 'read');
  const mayPublicSet = can(user, 'index.settings', 'manage');
  const settings = useSettings(mayPublicRead);
  const setSettings = useSetSettings();
  const [open, setOpen] = useState(false);
  const hasPublished = (editions.data?.items ?? []).some((e) => e.status === 'published');
  const error = create.error instanceof ApiError ? create.error.problem : null;
  return (
    <div>
      {mayPublicRead && settings.data && (
        <Card size="small" style={{ marginBottom: 12 }}>
          <Space>
            {t('clusterIndex.publicView')}
            <Switch
              data-testid="index-public-switch"
              checked={settings.data.publicView}
              disabled={!mayPublicSet || setSettings.isPending}
              onChange={(v) => setSettings.mutate({ publicView: v })}
            />
            <Typography.Text type="secondary">
              {settings.data.publicView ? t('clusterIndex.publicOn') : t('clusterIndex.publicOff')}
            </Typography.Text>
            {settings.data.publicView && <Link to="/public/index">/public/index</Link>}
          </Space>
        </Card>
      )}
      {mayDraft && (
        <Space style={{ marginBottom: 12 }}>
          <Button type="primary" onClick={() => setOpen((o) => !o)} data-testid="index-new-draft">
            {t('clusterIndex.newDraft')}
          </Button>
          <Typography.Text type="secondary">{t('clusterIndex.fourEyes')}</Typography.Text>
        </Space>
      )}
      {open && (
        <Card size="small" style={{ marginBottom: 12 }}>
          <Form
            layout="inline"
            initialValues={{ from: 2021, to: 2025 }}
            onFinish={(v: { from: number; to: number; reason?: string }) =>
              create.mutate(
                { years: { from: v.from, to: v.to }, reason: v.reason || undefined },
                { onSuccess: (e) => navigate(`/index/editions/${e.id}`) },
              )
            }
          >
            <Form.Item label={t('clusterIndex.years')} name="from">
              <InputNumber min={2000} max={2100} />
            </Form.Item>
            <Form.Item name="to">
              <InputNumber min={2000} max={2100} />
            </Form.Item>
            {hasPublished && (
              <Form.Item label={t('clusterIndex.reason')} name="reason" extra={t('clusterIndex.reasonHint')}>
                <Input style={{ width: 320 }} data-testid="index-reason" />
              </Form.Item>
            )}
            <Button htmlType="submit" type="primary" loading={create.isPending} data-testid="index-create">
              {t('clusterIndex.create')}
            </Button>
          </Form>
          {error && (
            <Alert
              style={{ marginTop: 8 }}
              type="error"
              message={i18n.language === 'en' ? error.detail : (error.detailZh ?? error.detail)}
            />
          )}
        </Card>
      )}
      <Table
        size="small"
        rowKey="id"
        loading={editions.isLoading}
        dataSource={editions.data?.items ?? []}
        pagination={false}
        data-testid="index-editions"
        columns={[
          {
            title: t('clusterIndex.edition'),
            key: 'v',
            render: (_, e) => (
              <Link to={`/index/editions/${e.id}`}>{t('clusterIndex.editionN', { v: e.version })}</Link>
            ),
          },
          { title: t('clusterIndex.name'), dataIndex: 'title' },
          {
            title: t('clusterIndex.state'),
            key: 's',
            render: (_, e) => (
              <Space size={2}>
                <Tag
                  color={e.status === 'published' ? 'green' : e.status === 'withdrawn' ? 'default' : 'orange'}
                >
                  {t(`clusterIndex.status.${e.status}`)}
                </Tag>
                {e.id === editions.data?.currentId && <Tag color="blue">{t('clusterIndex.current')}</Tag>}
              </Space>
            ),
          },
          { title: t('clusterIndex.reason'), dataIndex: 'reason', render: (v: string | null) => v ?? '—' },
          {
            title: '',
            key: 'stamps',
            render: (_, e) =>
              t('clusterIndex.stamps', {
                c: e.created.name ?? '—',
                s: e.submitted.name ?? '—',
                r: e.reviewed.name ?? '—',
                p: e.published.name ?? '—',
              }),
          },
        ]}
      />
    </div>
  );
}
