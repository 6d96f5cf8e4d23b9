// 导入记录: every import with its status, counts and lineage (which imports it corrected and which
// corrected it); administrators roll back from here.
import { useState } from 'react';
import { Button, Popconfirm, Select, Space, Table, Tag, Typography, message } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useCurrentUser } from '../../api/auth.ts';
import { errorMessage } from '../../api/client.ts';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { canImport } from '../../permissions.ts';
import './i18n.ts';
import './batchI18n.ts';
import { useImport, useImportList, useRollback, type ImportDetail, type ImportKindName } from './api.ts';
import { STATUS_COLOR } from './labels.ts';
import { useRerun } from './recoveryApi.ts';
import { DownloadLink } from '../../components/DownloadButton.tsx';

type Row = Omit<ImportDetail, 'job' | 'problems' | 'duplicateOf' | 'lineage'>;

function Lineage({ id }: { id: number }) {
  const { t } = useTranslation();
  const one = useImport(id);
  const l = one.data?.lineage;
  if (!l) return null;
  const replaced = l.replaced.filter((r) => r.importId !== null).map((r) => r.importId);
  return (
    <Space direction="vertical" size={0}>
      {replaced.length > 0 && (
        <Typography.Text type="secondary">
          {t('imports.replaced', { ids: replaced.join(', ') })}
        </Typography.Text>
      )}
      {l.replacedBy.length > 0 && (
        <Typography.Text type="warning">
          {t('imports.replacedBy', { ids: l.replacedBy.map((r) => r.importId).join(', ') })}
        </Typography.Text>
      )}
    </Space>
  );
}

export default function ImportHistoryPage() {
  const { t, i18n } = useTranslation();
  const user = useCurrentUser();
  const [kind, setKind] = useState<ImportKindName | undefined>();
  const [page, setPage] = useState(1);
  const list = useImportList({ kind, page, pageSize: 20 });
  const rollback = useRollback();
  const rerun = useRerun();
  const navigate = useNavigate();
  const [expanded, setExpanded] = useState<number[]>([]);

  // a refusal reads 无权限 with the reason, never an empty table
  if (list.isError) return <ErrorResult error={list.error} onRetry={() => void list.refetch()} />;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('imports.history')}
        </Typography.Title>
        <Space wrap>
          <Select<ImportKindName>
            allowClear
            placeholder={t('imports.kind')}
            style={{ width: 200 }}
            value={kind}
            onChange={(v) => {
              setKind(v);
              setPage(1);
            }}
            options={(['enterprises', 'monthly', 'annual', 'tiers', 'flags'] as const).map((k) => ({
              value: k,
              label: t(`imports.kinds.${k}`),
            }))}
          />
          {canImport(user) && <Link to="/imports">{t('imports.newImport')}</Link>}
        </Space>
      </Space>
      <Table<Row>
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items}
        data-testid="import-history"
        expandable={{
          expandedRowKeys: expanded,
          onExpandedRowsChange: (keys) => setExpanded(keys as number[]),
          expandedRowRender: (r) => <Lineage id={r.id} />,
        }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total, onChange: setPage }}
        columns={[
          {
            key: 'id',
            title: t('imports.fields.id'),
            dataIndex: 'id',
            width: 70,
            render: (id: number) => <Link to={`/imports/${id}`}>#{id}</Link>,
          },
          {
            key: 'kind',
            title: t('imports.kind'),
            dataIndex: 'kind',
            render: (k: ImportKindName) => t(`imports.kinds.${k}`),
          },
          { key: 'file', title: t('imports.fields.file'), dataIndex: 'fileName' },
          {
            key: 'batch',
            title: t('importBatch.batch'),
            dataIndex: 'batchId',
            render: (b: number | null) =>
              b === null ? null : (
                <Link to={`/imports?batch=${b}`} data-testid="import-batch-link">
                  #{b}
                </Link>
              ),
          },
          {
            key: 'status',
            title: t('imports.fields.status'),
            dataIndex: 'status',
            render: (s: Row['status']) => <Tag color={STATUS_COLOR[s]}>{t(`imports.status.${s}`)}</Tag>,
          },
          {
            key: 'counts',
            title: t('imports.fields.counts'),
            render: (_, r) =>
              r.status === 'committed' || r.status === 'rolled_back'
                ? t('imports.resultSummary', {
                    inserted: r.counts.inserted ?? 0,
                    replaced: r.counts.replaced ?? 0,
                    unchanged: r.counts.unchanged ?? 0,
                  })
                : r.counts.rows !== undefined
                  ? t('imports.summary', {
                      rows: r.counts.rows,
                      good: r.counts.good ?? 0,
                      badRows: r.counts.badRows ?? 0,
                      skipped: r.counts.skipped ?? 0,
                    }) + (r.counts.warning ? t('imports.warningsSuffix', { count: r.counts.warning }) : '')
                  : '',
          },
          { key: 'user', title: t('imports.fields.user'), dataIndex: 'username' },
          {
            key: 'at',
            title: t('imports.fields.createdAt'),
            dataIndex: 'createdAt',
            render: (v: string) => new Date(v).toLocaleString(i18n.language),
          },
          {
            key: 'actions',
            title: '',
            render: (_, r) => (
              <Space>
                {(r.counts.error ?? 0) + (r.counts.warning ?? 0) + (r.counts.notice ?? 0) > 0 && (
                  <DownloadLink url={`/api/imports/${r.id}/report`}>{t('imports.report')}</DownloadLink>
                )}
                {/* a file of a batch is previewed again with its batch (the batch column leads there) */}
                {(r.status === 'interrupted' || r.status === 'failed') &&
                  r.batchId === null &&
                  user.role !== 'analyst' && (
                    <Button
                      size="small"
                      loading={rerun.isPending && rerun.variables === r.id}
                      onClick={() =>
                        rerun.mutate(r.id, {
                          onSuccess: () => void navigate(`/imports/${r.id}`),
                          onError: (e) => void message.error(errorMessage(e, i18n.language)),
                        })
                      }
                      data-testid={`import-rerun-${r.id}`}
                    >
                      {t('imports.rerun')}
                    </Button>
                  )}
                {user.role === 'admin' && r.status === 'committed' && (
                  <Popconfirm
                    title={t('imports.rollbackConfirm', { id: r.id })}
                    onConfirm={() =>
                      rollback.mutate(r.id, {
                        onSuccess: () => void message.success(t('imports.rolledBack')),
                        onError: (e) => void message.error(errorMessage(e, i18n.language)),
                      })
                    }
                  >
                    <Button size="small" danger>
                      {t('imports.rollback')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
    </Space>
  );
}
