// 数据导入: upload → preview with problems → confirm → result with a progress bar. The import id is
// in the URL (/imports/:id), so a reload or another tab follows the same background job.
import { useState } from 'react';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Progress,
  Segmented,
  Space,
  Steps,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useParams, useSearchParams } from 'react-router';
import { useCurrentUser } from '../../api/auth.ts';
import { canImport } from '../../permissions.ts';
import { errorMessage } from '../../api/client.ts';
import './i18n.ts';
import {
  useCommit,
  useImport,
  useImportKinds,
  useUpload,
  type ImportDetail,
  type ImportKindName,
} from './api.ts';
import { BatchFiles, BatchView } from './BatchFiles.tsx';
import { useBatch } from './batchApi.ts';
import { ImportRecovery } from './ImportRecovery.tsx';
import { ProblemTabs } from './ProblemTabs.tsx';
import { isZh, STATUS_COLOR } from './labels.ts';
import { DownloadButton } from '../../components/DownloadButton.tsx';

const KINDS: ImportKindName[] = ['enterprises', 'monthly', 'annual', 'tiers', 'flags'];

function stepOf(detail: Pick<ImportDetail, 'status'> | undefined): number {
  if (!detail) return 0;
  switch (detail.status) {
    case 'previewing':
    case 'previewed':
    case 'refused':
    case 'interrupted':
      return 1;
    case 'committing':
      return 2;
    default:
      return 3;
  }
}

function JobProgress({ detail }: { detail: ImportDetail }) {
  const { t } = useTranslation();
  const job = detail.job;
  const percent = Math.round((job?.fraction ?? 0) * 100);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Text>
        {t(detail.status === 'committing' ? 'imports.committing' : 'imports.previewing')}
      </Typography.Text>
      <Progress percent={percent} status="active" data-testid="import-progress" />
      <Typography.Text type="secondary">
        {t('imports.rowsRead', { rows: (job?.rows ?? 0).toLocaleString() })}
      </Typography.Text>
    </Space>
  );
}

export default function ImportWizardPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const user = useCurrentUser();
  const params = useParams();
  // a batch of several files: /imports?batch=ID
  const [search] = useSearchParams();
  const batchId = Number(search.get('batch')) || null;
  const batch = useBatch(batchId);
  const id = params.id ? Number(params.id) : null;
  const [kind, setKind] = useState<ImportKindName>('monthly');
  const kinds = useImportKinds();
  const upload = useUpload();
  const commit = useCommit();
  const current = useImport(id);
  const detail = current.data;
  const [duplicateOf, setDuplicateOf] = useState<number | null>(null);
  const shownKind = detail?.kind ?? kind;
  const info = kinds.data?.find((k) => k.kind === shownKind);
  const counts = detail?.counts ?? {};

  const startOver = () => {
    setDuplicateOf(null);
    upload.reset();
    commit.reset();
    void navigate('/imports');
  };

  // Roles that may read imports but not import (the analyst) get the history, not a wizard that would
  // refuse them after uploading.
  if (!canImport(user) && id === null && batchId === null) return <Navigate to="/imports/history" replace />;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('imports.title')}
        </Typography.Title>
        <Link to="/imports/history">{t('imports.history')}</Link>
      </Space>
      <Steps
        current={stepOf(batchId !== null ? batch.data : detail)}
        items={[
          { title: t('imports.steps.upload') },
          { title: t('imports.steps.preview') },
          { title: t('imports.steps.commit') },
          { title: t('imports.steps.result') },
        ]}
      />

      {batchId !== null && <BatchView id={batchId} />}

      {id === null && batchId === null && (
        <Card>
          <Space direction="vertical" size="middle" style={{ width: '100%' }}>
            <Space wrap>
              <Typography.Text strong>{t('imports.kind')}</Typography.Text>
              <Segmented<ImportKindName>
                value={kind}
                onChange={setKind}
                options={KINDS.map((k) => ({ value: k, label: t(`imports.kinds.${k}`) }))}
                data-testid="import-kind"
              />
              <DownloadButton
                icon={<DownloadOutlined />}
                url={`/api/imports/templates/${kind}`}
                data-testid="import-template"
              >
                {t('imports.template')}
              </DownloadButton>
              <DownloadButton
                icon={<DownloadOutlined />}
                url={`/api/imports/export/${kind}`}
                data-testid="import-export"
              >
                {t('imports.export')}
              </DownloadButton>
            </Space>
            {duplicateOf !== null && (
              <Alert type="info" showIcon message={t('imports.duplicate', { id: duplicateOf })} />
            )}
            {upload.isError && (
              <Alert type="error" showIcon message={errorMessage(upload.error, i18n.language)} />
            )}
            <Upload.Dragger
              accept=".xlsx,.csv,.txt"
              multiple={false}
              showUploadList={false}
              disabled={upload.isPending}
              customRequest={({ file }) => {
                setDuplicateOf(null);
                upload.mutate(
                  { kind, file: file as File },
                  {
                    onSuccess: (d) => {
                      if (d.duplicateOf) setDuplicateOf(d.duplicateOf);
                      else void navigate(`/imports/${d.id}`);
                    },
                  },
                );
              }}
              data-testid="import-upload"
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{t('imports.dropHint')}</p>
              <p className="ant-upload-hint">{t('imports.dropNote')}</p>
            </Upload.Dragger>
            <BatchFiles defaultKind={kind} />
            {info && (
              <Table
                size="small"
                rowKey="key"
                pagination={false}
                title={() => t('imports.columns')}
                dataSource={info.columns}
                columns={[
                  {
                    key: 'header',
                    dataIndex: 'header',
                    title: t('imports.fields.column'),
                    render: (h: string, c) => (
                      <Space>
                        {h}
                        {c.required && <Tag color="red">{t('imports.required')}</Tag>}
                      </Space>
                    ),
                  },
                  { key: 'note', title: '', render: (_, c) => (isZh(i18n.language) ? c.noteZh : c.noteEn) },
                  { key: 'example', dataIndex: 'example', title: 'e.g.' },
                ]}
              />
            )}
          </Space>
        </Card>
      )}

      {id !== null && current.isError && (
        <Alert type="error" showIcon message={errorMessage(current.error, i18n.language)} />
      )}

      {detail && (
        <Card
          title={
            <Space>
              {`#${detail.id} ${detail.fileName}`}
              <Tag>{t(`imports.kinds.${detail.kind}`)}</Tag>
              <Tag color={STATUS_COLOR[detail.status]} data-testid="import-status">
                {t(`imports.status.${detail.status}`)}
              </Tag>
            </Space>
          }
          extra={<Button onClick={startOver}>{t('imports.startOver')}</Button>}
        >
          <Space direction="vertical" size="middle" style={{ width: '100%' }}>
            {(detail.status === 'previewing' || detail.status === 'committing') && (
              <JobProgress detail={detail} />
            )}
            <ImportRecovery detail={detail} />
            {counts.rows !== undefined && (
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={t('imports.fields.counts')}>
                  {t('imports.summary', {
                    rows: counts.rows,
                    good: counts.good ?? 0,
                    badRows: counts.badRows ?? 0,
                    skipped: counts.skipped ?? 0,
                  })}
                </Descriptions.Item>
                <Descriptions.Item label={t('imports.problems')}>
                  <span data-testid="import-problem-counts">
                    {t('imports.problemSummary', {
                      error: counts.error ?? 0,
                      warning: counts.warning ?? 0,
                      notice: counts.notice ?? 0,
                    })}
                  </span>
                </Descriptions.Item>
                {detail.status === 'committed' || detail.status === 'rolled_back' ? (
                  <Descriptions.Item label={t('imports.steps.result')}>
                    {t('imports.resultSummary', {
                      inserted: counts.inserted ?? 0,
                      replaced: counts.replaced ?? 0,
                      unchanged: counts.unchanged ?? 0,
                    })}
                  </Descriptions.Item>
                ) : null}
              </Descriptions>
            )}
            {detail.status === 'previewed' && (
              <Alert
                type="success"
                showIcon
                message={
                  counts.warning
                    ? t('imports.cleanWithWarnings', { count: counts.warning })
                    : t('imports.clean')
                }
                action={
                  // a file of a batch is committed with its batch (the note above links there)
                  detail.batchId === null && (
                    <Button
                      type="primary"
                      loading={commit.isPending}
                      onClick={() => commit.mutate(detail.id)}
                      data-testid="import-confirm"
                    >
                      {t('imports.confirm')}
                    </Button>
                  )
                }
              />
            )}
            {commit.isError && (
              <Alert type="error" showIcon message={errorMessage(commit.error, i18n.language)} />
            )}
            {detail.status === 'refused' && (
              <Alert type="error" showIcon message={t('imports.refused', { count: counts.error ?? 0 })} />
            )}
            {detail.status === 'failed' && (
              <Alert
                type="error"
                showIcon
                message={t('imports.failed', { error: detail.error ?? detail.job?.message ?? '' })}
              />
            )}
            {detail.status === 'committed' && (
              <>
                <Progress percent={100} />
                <Alert type="success" showIcon message={t('imports.committed')} data-testid="import-done" />
              </>
            )}
            {(detail.problems.length > 0 ||
              (counts.error ?? 0) + (counts.warning ?? 0) + (counts.notice ?? 0) > 0) && (
              <>
                <Space>
                  <Typography.Title level={5} style={{ margin: 0 }}>
                    {t('imports.problems')}
                  </Typography.Title>
                  <DownloadButton
                    size="small"
                    icon={<DownloadOutlined />}
                    url={`/api/imports/${detail.id}/report`}
                  >
                    {t('imports.report')}
                  </DownloadButton>
                </Space>
                <ProblemTabs detail={detail} />
              </>
            )}
          </Space>
        </Card>
      )}
    </Space>
  );
}
