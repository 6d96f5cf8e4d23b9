// The 低散乱 watch list: low three-year 亩均税收 or class D, with each firm's handling status.
import { useState } from 'react';
import { Button, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { useDataYear } from '../../data-year.ts';
import { useEvaluationYears, useSetHandling, useWatch } from './api.ts';
import { fmt, groupLabel } from './labels.ts';
import { useRegionName } from '../../names.ts';

type Row = NonNullable<ReturnType<typeof useWatch>['data']>['items'][number];

export function WatchPage() {
  const { t } = useTranslation();
  // the newest year with annual inputs or a run, not the clock's last year (an empty list)
  const [year, setYear] = useDataYear(useEvaluationYears());
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  // the server pages the list (thousands of firms city-wide) and reads the handling of the page's firms
  const watch = useWatch(year, page, pageSize);
  const regionName = useRegionName();
  const save = useSetHandling();
  const [editing, setEditing] = useState<Row | null>(null);
  const [form] = Form.useForm();
  if (watch.error) return <ErrorResult error={watch.error} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <InputNumber
        value={year}
        onChange={(v) => {
          if (!v) return;
          setYear(v);
          setPage(1);
        }}
        aria-label={t('evaluation.watch.year')}
      />
      <Table<Row>
        rowKey="enterpriseId"
        loading={watch.isLoading || year === undefined}
        dataSource={watch.data?.items ?? []}
        data-testid="evaluation-watch"
        pagination={{
          current: page,
          pageSize,
          total: watch.data?.total ?? 0,
          onChange: (p, size) => {
            setPage(size === pageSize ? p : 1);
            setPageSize(size);
          },
        }}
        columns={[
          { title: t('evaluation.result.name'), dataIndex: 'name' },
          {
            title: t('evaluation.result.county'),
            dataIndex: 'regionCode',
            render: (v: string) => <span title={v}>{regionName(v)}</span>,
          },
          { title: t('evaluation.result.group'), render: (_, r) => groupLabel(t, r.scale) },
          { title: t('evaluation.watch.tax3y'), render: (_, r) => fmt(r.taxPerMu3y) },
          { title: t('evaluation.result.class'), render: (_, r) => r.class ?? '—' },
          {
            title: t('evaluation.watch.reasons'),
            render: (_, r) => r.reasons.map((x) => <Tag key={x}>{t(`evaluation.watch.${x}`)}</Tag>),
          },
          {
            title: t('evaluation.watch.handling'),
            render: (_, r) =>
              r.handling
                ? `${t(`evaluation.watch.statuses.${r.handling.status}`)} · ${r.handling.owner ?? ''} · ${r.handling.deadline ?? ''} · ${r.handling.progress ?? ''}`
                : t('evaluation.watch.statuses.pending'),
          },
          {
            title: '',
            render: (_, r) => (
              <Button
                size="small"
                onClick={() => {
                  setEditing(r);
                  form.setFieldsValue({
                    status: r.handling?.status ?? 'pending',
                    owner: r.handling?.owner,
                    progress: r.handling?.progress,
                    deadline: r.handling?.deadline ? dayjs(r.handling.deadline) : null,
                  });
                }}
              >
                {t('evaluation.watch.handling')}
              </Button>
            ),
          },
        ]}
      />
      <Modal
        open={editing != null}
        title={editing?.name}
        onCancel={() => setEditing(null)}
        onOk={() => {
          const v = form.getFieldsValue() as {
            status: string;
            owner?: string;
            progress?: string;
            deadline?: dayjs.Dayjs | null;
          };
          if (editing && year !== undefined)
            save.mutate({
              year,
              enterpriseId: editing.enterpriseId,
              status: v.status,
              owner: v.owner ?? null,
              progress: v.progress ?? null,
              deadline: v.deadline ? v.deadline.format('YYYY-MM-DD') : null,
            });
          setEditing(null);
        }}
      >
        <Form form={form} layout="vertical">
          <Form.Item name="status" label={t('evaluation.objection.status')}>
            <Select
              options={(['pending', 'in_progress', 'done'] as const).map((s) => ({
                value: s,
                label: t(`evaluation.watch.statuses.${s}`),
              }))}
            />
          </Form.Item>
          <Form.Item name="owner" label={t('evaluation.watch.owner')}>
            <Input />
          </Form.Item>
          <Form.Item name="deadline" label={t('evaluation.watch.deadline')}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="progress" label={t('evaluation.watch.progress')}>
            <Input.TextArea rows={2} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
