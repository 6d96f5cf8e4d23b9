// The pipeline: entries by stage, and a drawer with one entry's history and its next move (申报 and 认定
// need an evidence file, 未通过 a reason). Moves offered are exactly those the server allows.
import { useState } from 'react';
import {
  Button,
  Drawer,
  Form,
  Input,
  Select,
  Space,
  Table,
  Timeline,
  Typography,
  Upload,
  message,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client.ts';
import { formatDateTime } from '../../format.ts';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { fileToBase64, useEntries, useEntry, useMove } from './api.ts';
import { DownloadLink } from '../../components/DownloadButton.tsx';

export function PipelineTab({ library }: { library?: string }) {
  const { t } = useTranslation();
  const [stage, setStage] = useState<string | undefined>();
  const [open, setOpen] = useState<number | null>(null);
  const q = useEntries({ library, stage });
  if (q.error) return <ErrorResult error={q.error} onRetry={() => void q.refetch()} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Select
        allowClear
        placeholder={t('cultivation.allStages')}
        style={{ minWidth: 160 }}
        value={stage}
        onChange={setStage}
        options={['nurturing', 'applying', 'recognised', 'rejected'].map((s) => ({
          value: s,
          label: t(`cultivation.stages.${s}`),
        }))}
      />
      <Table
        rowKey="id"
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        scroll={{ x: 700 }}
        data-testid="pipeline-table"
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('cultivation.enterprise'), dataIndex: 'enterpriseName' },
          {
            title: t('cultivation.library'),
            render: (_, r) => t(`cultivation.libraryNames.${r.library}`, r.library),
          },
          { title: t('cultivation.stage'), render: (_, r) => t(`cultivation.stages.${r.stage}`) },
          { title: t('cultivation.owner'), dataIndex: 'ownerName', responsive: ['md'] },
          {
            title: t('cultivation.updated'),
            render: (_, r) => formatDateTime(r.updatedAt),
            responsive: ['md'],
          },
        ]}
      />
      <Drawer open={open !== null} onClose={() => setOpen(null)} width={480} title={t('cultivation.pathway')}>
        {open !== null && <EntryView id={open} />}
      </Drawer>
    </Space>
  );
}

function EntryView({ id }: { id: number }) {
  const { t, i18n } = useTranslation();
  const q = useEntry(id);
  const move = useMove(id);
  const [form] = Form.useForm<{ to: string; note?: string; file?: { originFileObj?: File }[] }>();
  if (q.error) return <ErrorResult error={q.error} />;
  const e = q.data;
  if (!e) return null;
  const submit = async (v: { to: string; note?: string; file?: { originFileObj?: File }[] }) => {
    const f = v.file?.[0]?.originFileObj;
    const evidence = f ? { fileName: f.name, contentBase64: await fileToBase64(f) } : undefined;
    move.mutate(
      { to: v.to as never, note: v.note || undefined, evidence },
      {
        onSuccess: () => {
          form.resetFields();
          void message.success(t('cultivation.moved'));
        },
        onError: (err) => void message.error(errorMessage(err, i18n.language)),
      },
    );
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="entry-view">
      <Typography.Title level={5} style={{ margin: 0 }}>
        {e.enterpriseName} · {t(`cultivation.libraryNames.${e.library}`, e.library)}
      </Typography.Title>
      <Typography.Text data-testid="entry-stage">
        {t('cultivation.stage')}：{t(`cultivation.stages.${e.stage}`)}
      </Typography.Text>
      <Timeline
        items={e.events.map((ev) => ({
          children: (
            <div>
              <div>
                {t(`cultivation.stages.${ev.fromStage ?? 'candidate'}`)} →{' '}
                {t(`cultivation.stages.${ev.toStage}`)} · {ev.username} · {formatDateTime(ev.createdAt)}
              </div>
              {ev.note && <Typography.Text type="secondary">{ev.note}</Typography.Text>}
              {ev.documentId && (
                <div>
                  <DownloadLink
                    url={`/api/cultivation/documents/${ev.documentId}`}
                    fileName={ev.documentName ?? undefined}
                  >
                    📄 {ev.documentName}
                  </DownloadLink>
                </div>
              )}
            </div>
          ),
        }))}
      />
      {e.moves.length > 0 && (
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
          <Form.Item name="to" label={t('cultivation.moveTo')} rules={[{ required: true }]}>
            <Select
              data-testid="move-to"
              options={e.moves.map((m) => ({ value: m, label: t(`cultivation.stages.${m}`) }))}
            />
          </Form.Item>
          <Form.Item name="note" label={t('cultivation.note')}>
            <Input.TextArea rows={2} maxLength={1000} />
          </Form.Item>
          <Form.Item
            name="file"
            label={t('cultivation.evidence')}
            valuePropName="fileList"
            getValueFromEvent={(ev: { fileList: unknown[] }) => ev.fileList.slice(-1)}
          >
            <Upload
              beforeUpload={() => false}
              maxCount={1}
              accept=".pdf,.ofd,.png,.jpg,.jpeg,.doc,.docx,.xls,.xlsx"
            >
              <Button data-testid="evidence-button">{t('cultivation.chooseFile')}</Button>
            </Upload>
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={move.isPending} data-testid="move-submit">
            {t('cultivation.submitMove')}
          </Button>
        </Form>
      )}
    </Space>
  );
}
