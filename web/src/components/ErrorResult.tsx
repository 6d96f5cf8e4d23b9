// A failed request shown in place of the page, with the server's own explanation.
import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage, isStatus } from '../api/client.ts';

export function ErrorResult({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t, i18n } = useTranslation();
  const forbidden = isStatus(error, 403);
  return (
    <Result
      status={forbidden ? '403' : 'error'}
      title={forbidden ? t('errors.forbidden') : t('errors.loadFailed')}
      subTitle={errorMessage(error, i18n.language)}
      extra={onRetry && !forbidden ? <Button onClick={onRetry}>{t('common.retry')}</Button> : undefined}
    />
  );
}
