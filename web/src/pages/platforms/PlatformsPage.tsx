// 平台载体 (issue 16 item 4): the register with filters, create / edit / delete for those the policy lets
// (a county officer its own county's entries), xlsx import (all or nothing, problems by row and column)
// and export.
import { useLocalName } from '../../names.ts';
import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Typography,
  Upload,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../api/auth.ts';
import { toQueryString } from '../../api/client.ts';
import { useClusters, useRegions, useZones } from '../../api/reference.ts';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { can } from '../../permissions.ts';
import { PLATFORM_KINDS, PLATFORM_LEVELS } from '../../../../src/domain/platforms.ts';
import type {
  Platform,
  PlatformBody,
  PlatformImportResult,
} from '../../../../src/modules/platforms/schemas.ts';
import {
  fileToBase64,
  useDeletePlatform,
  useImportPlatforms,
  usePlatforms,
  useSavePlatform,
  type PlatformFilter,
} from './api.ts';
import './i18n.ts';
import { DownloadLink } from '../../components/DownloadButton.tsx';

export default function PlatformsPage() {
  const { t } = useTranslation();
  const localName = useLocalName();
  const { message } = App.useApp();
  const user = useCurrentUser();
  const [filter, setFilter] = useState<PlatformFilter>({});
  const q = usePlatforms(filter);
  const regions = useRegions();
  const clusters = useClusters();
  const zones = useZones();
  const save = useSavePlatform();
  const del = useDeletePlatform();
  const imp = useImportPlatforms();
  const [editing, setEditing] = useState<Platform | 'new' | null>(null);
  const [report, setReport] = useState<PlatformImportResult | null>(null);
  const [form] = Form.useForm<PlatformBody>();
  const counties = (regions.data ?? []).filter((r) => r.level === 'county');
  const mayCreate = can(user, 'platforms.platform', 'create');
  const mayImport = can(user, 'platforms.platform', 'import');
  const ownCounty = user.role === 'county' ? user.regionCode : null;

  if (q.error) return <ErrorResult error={q.error} onRetry={() => void q.refetch()} />;

  const open = (p: Platform | 'new') => {
    setEditing(p);
    form.setFieldsValue(
      p === 'new'
        ? {
            name: '',
            kind: 'feature_park',
            level: 'city',
            regionCode: ownCounty,
            zoneCode: null,
            clusterCode: null,
            year: null,
            source: '',
          }
        : {
            name: p.name,
            kind: p.kind as PlatformBody['kind'],
            level: p.level as PlatformBody['level'],
            regionCode: p.regionCode,
            zoneCode: p.zoneCode,
            clusterCode: p.clusterCode,
            year: p.year,
            source: p.source ?? '',
          },
    );
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('platforms.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('platforms.intro')}</Typography.Paragraph>
      <Space wrap>
        <Select
          allowClear
          placeholder={t('platforms.allKinds')}
          style={{ minWidth: 180 }}
          value={filter.kind}
          onChange={(kind) => setFilter({ ...filter, kind })}
          options={Object.entries(PLATFORM_KINDS).map(([value, label]) => ({ value, label }))}
        />
        <Select
          allowClear
          placeholder={t('platforms.county')}
          style={{ minWidth: 140 }}
          value={filter.county}
          onChange={(county) => setFilter({ ...filter, county })}
          options={counties.map((r) => ({ value: r.code, label: r.name }))}
        />
        <Select
          allowClear
          placeholder={t('platforms.cluster')}
          style={{ minWidth: 140 }}
          value={filter.cluster}
          onChange={(cluster) => setFilter({ ...filter, cluster })}
          options={(clusters.data ?? []).map((c) => ({ value: c.code, label: c.name }))}
        />
        <Input.Search
          allowClear
          placeholder={t('platforms.search')}
          onSearch={(v) => setFilter({ ...filter, q: v || undefined })}
        />
        {mayCreate && (
          <Button type="primary" onClick={() => open('new')} data-testid="platform-add">
            {t('platforms.add')}
          </Button>
        )}
        {mayImport && (
          <Upload
            accept=".xlsx"
            showUploadList={false}
            beforeUpload={async (file) => {
              const out = await imp.mutateAsync({
                fileName: file.name,
                contentBase64: await fileToBase64(file),
              });
              setReport(out);
              if (out.ok) void message.success(t('platforms.imported', out));
              return false;
            }}
          >
            <Button loading={imp.isPending} data-testid="platform-import">
              {t('platforms.import')}
            </Button>
          </Upload>
        )}
        {mayImport && (
          <DownloadLink url="/api/platforms/template.xlsx">{t('platforms.template')}</DownloadLink>
        )}
        {can(user, 'platforms.platform', 'export') && (
          <DownloadLink url={`/api/platforms/export.xlsx${toQueryString({ ...filter })}`}>
            {t('platforms.export')}
          </DownloadLink>
        )}
      </Space>
      {report && !report.ok && (
        <Alert
          type="error"
          showIcon
          closable
          onClose={() => setReport(null)}
          message={t('platforms.importRefused')}
          data-testid="platform-import-problems"
          description={
            <ul style={{ margin: 0 }}>
              {report.problems.map((p, i) => (
                <li key={i}>
                  {p.file}
                  {p.row ? ` · ${t('platforms.row', { row: p.row })}` : ''}
                  {p.column ? ` · ${p.column}` : ''}
                  {p.value ? ` · “${p.value}”` : ''}：{p.zh}
                </li>
              ))}
            </ul>
          }
        />
      )}
      <Table
        rowKey="id"
        size="small"
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        pagination={{ pageSize: 50 }}
        scroll={{ x: 1000 }}
        data-testid="platform-table"
        columns={[
          { title: t('platforms.name'), dataIndex: 'name' },
          { title: t('platforms.kind'), dataIndex: 'kindZh' },
          {
            title: t('platforms.level'),
            render: (_, p) => (p.level ? t(`platforms.levels.${p.level}`) : '—'),
          },
          {
            title: t('platforms.county'),
            render: (_, p) => (p.regionName ? localName(p.regionName) : t('platforms.cityWide')),
          },
          { title: t('platforms.zone'), render: (_, p) => localName(p.zoneName), responsive: ['lg'] },
          { title: t('platforms.cluster'), render: (_, p) => localName(p.clusterName) },
          { title: t('platforms.year'), dataIndex: 'year', align: 'right' },
          { title: t('platforms.source'), dataIndex: 'source', responsive: ['lg'] },
          {
            title: '',
            render: (_, p) =>
              p.editable && (
                <Space>
                  <Button size="small" type="link" onClick={() => open(p)}>
                    {t('platforms.edit')}
                  </Button>
                  <Popconfirm
                    title={t('platforms.confirmDelete')}
                    onConfirm={async () => {
                      await del.mutateAsync(p.id);
                      void message.success(t('platforms.deleted'));
                    }}
                  >
                    <Button size="small" type="link" danger>
                      {t('platforms.delete')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('platforms.add') : t('platforms.edit')}
        okText={t('platforms.save')}
        confirmLoading={save.isPending}
        onCancel={() => setEditing(null)}
        onOk={async () => {
          const body = await form.validateFields();
          try {
            await save.mutateAsync({ id: editing === 'new' || editing === null ? null : editing.id, body });
            void message.success(t('platforms.saved'));
            setEditing(null);
          } catch (e) {
            void message.error(e instanceof Error ? e.message : String(e));
          }
        }}
      >
        <Form form={form} layout="vertical">
          <Form.Item name="name" label={t('platforms.name')} rules={[{ required: true, min: 2 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="kind" label={t('platforms.kind')} rules={[{ required: true }]}>
            <Select options={Object.entries(PLATFORM_KINDS).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item name="level" label={t('platforms.level')}>
            <Select
              allowClear
              options={PLATFORM_LEVELS.map((l) => ({ value: l, label: t(`platforms.levels.${l}`) }))}
            />
          </Form.Item>
          <Form.Item name="regionCode" label={t('platforms.county')}>
            <Select
              allowClear={!ownCounty}
              disabled={!!ownCounty}
              options={counties.map((r) => ({ value: r.code, label: r.name }))}
            />
          </Form.Item>
          <Form.Item name="zoneCode" label={t('platforms.zone')}>
            <Select allowClear options={(zones.data ?? []).map((z) => ({ value: z.code, label: z.name }))} />
          </Form.Item>
          <Form.Item name="clusterCode" label={t('platforms.cluster')}>
            <Select
              allowClear
              options={(clusters.data ?? []).map((c) => ({ value: c.code, label: c.name }))}
            />
          </Form.Item>
          <Form.Item name="year" label={t('platforms.year')}>
            <InputNumber min={1990} max={2100} />
          </Form.Item>
          <Form.Item name="source" label={t('platforms.source')} rules={[{ required: true, min: 2 }]}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
