// One bulletin: its preview (the very page Chromium prints, in a frame that runs no script), the
// commentary editor for a draft, submit / return / publish as the server allows, and the downloads.
import { useEffect, useState } from 'react';
import { Alert, Button, Card, Input, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { useBulletin, useCommentary, useTransition } from './api.ts';
import { Downloads, StatusTag } from './BulletinPage.tsx';

export function BulletinDetail() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const q = useBulletin(id);
  const save = useCommentary(id);
  const move = useTransition(id);
  const [text, setText] = useState<string | null>(null);
  const b = q.data;
  // a new render (after a save or a publish) reloads the frame
  const [frameKey, setFrameKey] = useState(0);
  useEffect(() => {
    if (b && !b.job) setFrameKey((k) => k + 1);
  }, [b?.job, b?.generatedAt, b?.status, b]);
  if (q.error) return <ErrorResult error={q.error} onRetry={() => void q.refetch()} />;
  if (!b) return null;
  const commentary = text ?? b.commentary;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Link to="/bulletin">← {t('bulletin.back')}</Link>
      <Space wrap align="center">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {b.scopeName} · {b.month}
        </Typography.Title>
        <StatusTag b={b} />
        <Downloads b={b} />
        {b.generationMs !== null && (
          <Typography.Text type="secondary">
            {t('bulletin.generatedIn', { s: (b.generationMs / 1000).toFixed(1) })}
          </Typography.Text>
        )}
      </Space>
      {b.error && (
        <Alert
          type="error"
          showIcon
          data-testid="bulletin-error"
          message={t('bulletin.error', { error: b.error })}
          action={
            b.actions.includes('retry') && (
              <Button
                data-testid="bulletin-retry"
                loading={move.isPending}
                onClick={() => move.mutate('retry')}
              >
                {t('bulletin.retry')}
              </Button>
            )
          }
        />
      )}
      <Space wrap>
        {b.actions.includes('submit') && (
          <Button
            data-testid="bulletin-submit"
            loading={move.isPending}
            onClick={() => move.mutate('submit')}
          >
            {t('bulletin.submit')}
          </Button>
        )}
        {b.actions.includes('return') && (
          <Button data-testid="bulletin-return" onClick={() => move.mutate('return')}>
            {t('bulletin.return')}
          </Button>
        )}
        {b.actions.includes('publish') && (
          <Button type="primary" data-testid="bulletin-publish" onClick={() => move.mutate('publish')}>
            {t('bulletin.publish')}
          </Button>
        )}
        {b.status === 'submitted' && !b.actions.includes('publish') && (
          <Typography.Text type="secondary">{t('bulletin.fourEyes')}</Typography.Text>
        )}
      </Space>
      {(move.error || save.error) && <ErrorResult error={move.error ?? save.error} />}
      {b.actions.includes('editCommentary') && (
        <Card size="small" title={t('bulletin.commentary')}>
          <Input.TextArea
            data-testid="bulletin-commentary"
            rows={5}
            value={commentary}
            maxLength={20_000}
            onChange={(e) => setText(e.target.value)}
          />
          <Typography.Paragraph type="secondary">{t('bulletin.commentaryHelp')}</Typography.Paragraph>
          <Button
            type="primary"
            data-testid="bulletin-save"
            loading={save.isPending}
            onClick={() => save.mutate(commentary, { onSuccess: () => setText(null) })}
          >
            {t('bulletin.save')}
          </Button>
        </Card>
      )}
      {b.generatedAt && (
        <Card size="small" title={t('bulletin.preview')} styles={{ body: { padding: 0 } }}>
          <iframe
            key={frameKey}
            data-testid="bulletin-preview"
            title={t('bulletin.preview')}
            src={`/api/bulletins/${b.id}/preview`}
            sandbox=""
            style={{ width: '100%', height: '80vh', border: 0, background: '#fff' }}
          />
        </Card>
      )}
    </Space>
  );
}
