// 批量导入: several files (at most one enterprise registry, any monthly/annual/tiers files), each with
// its kind, previewed together and committed in one transaction. BatchFiles picks the files on the
// wizard's upload step; BatchView shows a batch (/imports?batch=ID): progress, each file with its
// problems, confirm, result, and (administrators) rollback of the whole batch; an interrupted or
// failed batch is previewed again or discarded as a whole (BatchRecovery, shared with ImportRecovery).
import { useState } from 'react';
import { DeleteOutlined, DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Popconfirm,
  Progress,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
  message,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useCurrentUser } from '../../api/auth.ts';
import { errorMessage } from '../../api/client.ts';
import './batchI18n.ts';
import type { ImportDetail, ImportKindName } from './api.ts';
import { useBatch, useBatchCommit, useBatchRollback, useBatchUpload, type BatchEntry } from './batchApi.ts';
import { BatchRecovery } from './ImportRecovery.tsx';
import { ProblemTable } from './ProblemTable.tsx';
import { STATUS_COLOR } from './labels.ts';
import { DownloadButton } from '../../components/DownloadButton.tsx';

const KINDS: ImportKindName[] = ['enterprises', 'monthly', 'annual', 'tiers', 'flags'];

type Entry = BatchEntry & { uid: string };

/** The files of a new batch, each with its kind; "preview together" uploads them and opens the batch. */
export function BatchFiles({ defaultKind }: { defaultKind: ImportKindName }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [entries, setEntries] = useState<Entry[]>([]);
  const upload = useBatchUpload();
  const registries = entries.filter((e) => e.kind === 'enterprises').length;

  return (
    <Card size="small" type="inner" title={t('importBatch.title')} data-testid="batch-files">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('importBatch.hint')}</Typography.Text>
        {entries.length > 0 && (
          <Table<Entry>
            size="small"
            rowKey="uid"
            pagination={false}
            dataSource={entries}
            columns={[
              { key: 'file', title: t('imports.fields.file'), render: (_, e) => e.file.name },
              {
                key: 'kind',
                title: t('imports.kind'),
                render: (_, e) => (
                  <Select<ImportKindName>
                    size="small"
                    style={{ width: 180 }}
                    value={e.kind}
                    onChange={(kind) =>
                      setEntries((list) => list.map((x) => (x.uid === e.uid ? { ...x, kind } : x)))
                    }
                    options={KINDS.map((k) => ({ value: k, label: t(`imports.kinds.${k}`) }))}
                    data-testid="batch-kind"
                  />
                ),
              },
              {
                key: 'remove',
                title: '',
                width: 60,
                render: (_, e) => (
                  <Button
                    size="small"
                    type="text"
                    aria-label={t('importBatch.remove')}
                    icon={<DeleteOutlined />}
                    onClick={() => setEntries((list) => list.filter((x) => x.uid !== e.uid))}
                  />
                ),
              },
            ]}
          />
        )}
        {registries > 1 && <Alert type="warning" showIcon message={t('importBatch.oneRegistry')} />}
        {upload.isError && (
          <Alert type="error" showIcon message={errorMessage(upload.error, i18n.language)} />
        )}
        <Space wrap>
          <Upload
            accept=".xlsx,.csv,.txt"
            multiple
            showUploadList={false}
            beforeUpload={(file) => {
              setEntries((list) => [...list, { uid: file.uid, kind: defaultKind, file }]);
              return false;
            }}
          >
            <Button icon={<PlusOutlined />} data-testid="batch-add">
              {t('importBatch.add')}
            </Button>
          </Upload>
          <Button
            type="primary"
            disabled={entries.length === 0 || registries > 1}
            loading={upload.isPending}
            onClick={() =>
              upload.mutate(
                entries.map(({ kind, file }) => ({ kind, file })),
                { onSuccess: (b) => void navigate(`/imports?batch=${b.id}`) },
              )
            }
            data-testid="batch-preview"
          >
            {t('importBatch.preview', { count: entries.length })}
          </Button>
        </Space>
      </Space>
    </Card>
  );
}

function FileCard({ file, files }: { file: ImportDetail; files: ImportDetail[] }) {
  const { t } = useTranslation();
  const counts = file.counts;
  const duplicateOf = typeof counts.duplicateOf === 'number' ? counts.duplicateOf : null;
  const heldBy = typeof counts.batchRefusedBy === 'number' ? counts.batchRefusedBy : null;
  const done = file.status === 'committed' || file.status === 'rolled_back';
  return (
    <Card
      size="small"
      data-testid="batch-file"
      title={
        <Space wrap>
          {`#${file.id} ${file.fileName}`}
          <Tag>{t(`imports.kinds.${file.kind}`)}</Tag>
          <Tag color={STATUS_COLOR[file.status]}>{t(`imports.status.${file.status}`)}</Tag>
        </Space>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        {counts.rows !== undefined && (
          <Typography.Text>
            {done
              ? t('imports.resultSummary', {
                  inserted: counts.inserted ?? 0,
                  replaced: counts.replaced ?? 0,
                  unchanged: counts.unchanged ?? 0,
                })
              : t('imports.summary', {
                  rows: counts.rows,
                  good: counts.good ?? 0,
                  badRows: counts.badRows ?? 0,
                  skipped: counts.skipped ?? 0,
                })}
          </Typography.Text>
        )}
        {duplicateOf !== null && (
          <Alert type="info" showIcon message={t('imports.duplicate', { id: duplicateOf })} />
        )}
        {heldBy !== null && (
          <Alert
            type="warning"
            showIcon
            message={t('importBatch.held', {
              file: files.find((f) => f.id === heldBy)?.fileName ?? `#${heldBy}`,
            })}
          />
        )}
        {file.problems.length > 0 && (
          <>
            <DownloadButton size="small" icon={<DownloadOutlined />} url={`/api/imports/${file.id}/report`}>
              {t('imports.report')}
            </DownloadButton>
            <ProblemTable
              problems={file.problems}
              total={(counts.error ?? 0) + (counts.warning ?? 0) + (counts.notice ?? 0)}
            />
          </>
        )}
      </Space>
    </Card>
  );
}

/** One batch: its progress, each file, confirm and result. */
export function BatchView({ id }: { id: number }) {
  const { t, i18n } = useTranslation();
  const user = useCurrentUser();
  const batch = useBatch(id);
  const commit = useBatchCommit();
  const rollback = useBatchRollback();
  const b = batch.data;
  if (batch.isError)
    return <Alert type="error" showIcon message={errorMessage(batch.error, i18n.language)} />;
  if (!b) return null;
  const running = b.status === 'previewing' || b.status === 'committing';
  const allDuplicates = b.files.every((f) => typeof f.counts.duplicateOf === 'number');
  return (
    <Card
      data-testid="import-batch"
      title={
        <Space>
          {t('importBatch.name', { id: b.id })}
          <Tag color={STATUS_COLOR[b.status]} data-testid="batch-status">
            {t(`imports.status.${b.status}`)}
          </Tag>
        </Space>
      }
      extra={<Link to="/imports">{t('imports.startOver')}</Link>}
    >
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        {running && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Text>
              {t(b.status === 'committing' ? 'imports.committing' : 'imports.previewing')}
            </Typography.Text>
            <Progress
              percent={Math.round((b.job?.fraction ?? 0) * 100)}
              status="active"
              data-testid="batch-progress"
            />
            <Typography.Text type="secondary">
              {t('importBatch.progress', { rows: (b.job?.rows ?? 0).toLocaleString() })}
            </Typography.Text>
          </Space>
        )}
        {b.status === 'previewed' && (
          <Alert
            type="success"
            showIcon
            message={t('importBatch.clean', { count: b.files.length })}
            action={
              <Button
                type="primary"
                loading={commit.isPending}
                onClick={() => commit.mutate(b.id)}
                data-testid="batch-confirm"
              >
                {t('importBatch.confirm')}
              </Button>
            }
          />
        )}
        {commit.isError && (
          <Alert type="error" showIcon message={errorMessage(commit.error, i18n.language)} />
        )}
        {b.status === 'refused' && (
          <Alert
            type={allDuplicates ? 'info' : 'error'}
            showIcon
            message={t(allDuplicates ? 'importBatch.allDuplicates' : 'importBatch.refused')}
          />
        )}
        {b.status === 'failed' && (
          <Alert type="error" showIcon message={t('imports.failed', { error: b.error ?? '' })} />
        )}
        <BatchRecovery batch={b} />
        {b.status === 'committed' && (
          <Alert
            type="success"
            showIcon
            message={t('importBatch.committed')}
            data-testid="batch-done"
            action={
              user.role === 'admin' ? (
                <Popconfirm
                  title={t('importBatch.rollbackConfirm', { id: b.id })}
                  onConfirm={() =>
                    rollback.mutate(b.id, {
                      onSuccess: () => void message.success(t('importBatch.rolledBack')),
                      onError: (e) => void message.error(errorMessage(e, i18n.language)),
                    })
                  }
                >
                  <Button danger size="small">
                    {t('importBatch.rollback')}
                  </Button>
                </Popconfirm>
              ) : null
            }
          />
        )}
        {b.status === 'rolled_back' && <Alert type="info" showIcon message={t('importBatch.rolledBack')} />}
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('importBatch.files')}
        </Typography.Title>
        {b.files.map((f) => (
          <FileCard key={f.id} file={f} files={b.files} />
        ))}
      </Space>
    </Card>
  );
}
