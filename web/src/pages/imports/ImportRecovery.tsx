// What the wizard offers for an import — or an import batch — that will not go on by itself: an
// interrupted one (the server restarted under its job) or a failed one can be previewed again while
// its files are on the server; one that was not committed can be discarded (its uploads removed).
// A file of a batch is acted on with its batch only: its view links there.
import type { ReactNode } from 'react';
import { Alert, Button, Popconfirm, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorMessage } from '../../api/client.ts';
import './batchI18n.ts';
import type { ImportDetail } from './api.ts';
import { useBatchDiscard, useBatchRerun, type ImportBatch } from './batchApi.ts';
import { useDiscard, useRerun } from './recoveryApi.ts';

type Status = ImportDetail['status'];
const RERUNNABLE = new Set<Status>(['interrupted', 'failed']);
const DISCARDABLE = new Set<Status>(['previewed', 'refused', 'failed', 'interrupted']);

/** A re-run or discard mutation of an import or a batch, by id. */
interface Action {
  mutate: (id: number) => void;
  isPending: boolean;
  error: Error | null;
}

interface RecoveryActionsProps {
  id: number;
  status: Status;
  /** an upload needed to preview again is no longer on the server */
  fileGone: boolean;
  rerun: Action;
  discard: Action;
  discardConfirm: string;
  fileGoneText: string;
  /** test id prefix: `import` or `batch` */
  testId: string;
}

/** 已中断 with 重新预览 / 放弃导入, or 放弃导入 alone, as the status allows. */
function RecoveryActions(p: RecoveryActionsProps) {
  const { t, i18n } = useTranslation();
  const canRerun = RERUNNABLE.has(p.status) && !p.fileGone;
  const discardButton = DISCARDABLE.has(p.status) && (
    <Popconfirm title={p.discardConfirm} onConfirm={() => p.discard.mutate(p.id)}>
      <Button size="small" loading={p.discard.isPending} data-testid={`${p.testId}-discard`}>
        {t('imports.discard')}
      </Button>
    </Popconfirm>
  );
  const rerunButton = canRerun && (
    <Button
      type="primary"
      size="small"
      loading={p.rerun.isPending}
      onClick={() => p.rerun.mutate(p.id)}
      data-testid={`${p.testId}-rerun`}
    >
      {t('imports.rerun')}
    </Button>
  );
  const buttons = (rerunButton || discardButton) && (
    <Space>
      {rerunButton}
      {discardButton}
    </Space>
  );
  const error = p.rerun.error ?? p.discard.error;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {p.status === 'interrupted' && (
        <Alert
          type="warning"
          showIcon
          message={t('imports.interrupted')}
          description={p.fileGone ? p.fileGoneText : undefined}
          action={buttons}
          data-testid={`${p.testId}-interrupted`}
        />
      )}
      {p.status === 'failed' && (
        <>
          {p.fileGone && <Alert type="warning" showIcon message={p.fileGoneText} />}
          {buttons}
        </>
      )}
      {(p.status === 'previewed' || p.status === 'refused') && (
        <Space>
          {p.fileGone && p.status === 'previewed' && (
            <Alert type="warning" showIcon message={p.fileGoneText} />
          )}
          {discardButton}
        </Space>
      )}
      {p.status === 'discarded' && (
        <Alert
          type="info"
          showIcon
          message={t('imports.discardedNote')}
          data-testid={`${p.testId}-discarded`}
        />
      )}
      {error && <Alert type="error" showIcon message={errorMessage(error, i18n.language)} />}
    </Space>
  );
}

export function ImportRecovery({ detail }: { detail: ImportDetail }) {
  const { t } = useTranslation();
  const rerun = useRerun();
  const discard = useDiscard();
  if (detail.batchId !== null) {
    if (!DISCARDABLE.has(detail.status)) return null;
    return (
      <Alert
        type="info"
        showIcon
        message={t(detail.status === 'previewed' ? 'importBatch.commitWithBatch' : 'importBatch.actOnBatch', {
          id: detail.batchId,
        })}
        action={<Link to={`/imports?batch=${detail.batchId}`}>{t('importBatch.openBatch')}</Link>}
        data-testid="import-in-batch"
      />
    );
  }
  return (
    <RecoveryActions
      id={detail.id}
      status={detail.status}
      fileGone={detail.fileKept === false}
      rerun={rerun}
      discard={discard}
      discardConfirm={t('imports.discardConfirm', { id: detail.id })}
      fileGoneText={t('imports.fileGone')}
      testId="import"
    />
  );
}

/** The same for a whole batch: every file is previewed again, or discarded, with it. */
export function BatchRecovery({ batch }: { batch: ImportBatch }): ReactNode {
  const { t } = useTranslation();
  const rerun = useBatchRerun();
  const discard = useBatchDiscard();
  // a file skipped as committed before needs no upload
  const fileGone = batch.files.some((f) => typeof f.counts.duplicateOf !== 'number' && f.fileKept === false);
  return (
    <RecoveryActions
      id={batch.id}
      status={batch.status}
      fileGone={fileGone}
      rerun={rerun}
      discard={discard}
      discardConfirm={t('importBatch.discardConfirm', { id: batch.id })}
      fileGoneText={t('importBatch.fileGone')}
      testId="batch"
    />
  );
}
