// What the wizard offers for an import that will not go on by itself: an interrupted one (the server
// restarted under its job) or a failed one can be previewed again while its file is on the server;
// one that was not committed can be discarded (its upload removed).
import { Alert, Button, Popconfirm, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client.ts';
import type { ImportDetail } from './api.ts';
import { useDiscard, useRerun } from './recoveryApi.ts';

const RERUNNABLE = new Set<ImportDetail['status']>(['interrupted', 'failed']);
const DISCARDABLE = new Set<ImportDetail['status']>(['previewed', 'refused', 'failed', 'interrupted']);

export function ImportRecovery({ detail }: { detail: ImportDetail }) {
  const { t, i18n } = useTranslation();
  const rerun = useRerun();
  const discard = useDiscard();
  const fileGone = detail.fileKept === false;
  const canRerun = RERUNNABLE.has(detail.status) && !fileGone;
  const discardButton = DISCARDABLE.has(detail.status) && (
    <Popconfirm
      title={t('imports.discardConfirm', { id: detail.id })}
      onConfirm={() => discard.mutate(detail.id)}
    >
      <Button size="small" loading={discard.isPending} data-testid="import-discard">
        {t('imports.discard')}
      </Button>
    </Popconfirm>
  );
  const rerunButton = canRerun && (
    <Button
      type="primary"
      size="small"
      loading={rerun.isPending}
      onClick={() => rerun.mutate(detail.id)}
      data-testid="import-rerun"
    >
      {t('imports.rerun')}
    </Button>
  );
  const error = rerun.error ?? discard.error;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {detail.status === 'interrupted' && (
        <Alert
          type="warning"
          showIcon
          message={t('imports.interrupted')}
          description={fileGone ? t('imports.fileGone') : undefined}
          action={
            <Space>
              {rerunButton}
              {discardButton}
            </Space>
          }
          data-testid="import-interrupted"
        />
      )}
      {detail.status === 'failed' && (rerunButton || discardButton) && (
        <Space>
          {rerunButton}
          {discardButton}
        </Space>
      )}
      {(detail.status === 'previewed' || detail.status === 'refused') && (
        <Space>
          {fileGone && detail.status === 'previewed' && (
            <Alert type="warning" showIcon message={t('imports.fileGone')} />
          )}
          {discardButton}
        </Space>
      )}
      {detail.status === 'discarded' && (
        <Alert type="info" showIcon message={t('imports.discardedNote')} data-testid="import-discarded" />
      )}
      {error && <Alert type="error" showIcon message={errorMessage(error, i18n.language)} />}
    </Space>
  );
}
