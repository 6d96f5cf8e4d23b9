// A capability the policy asks for that is not built yet: say so plainly, and what it will do.
import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export function NotBuilt({ capability }: { capability: string }) {
  const { t } = useTranslation();
  return (
    <Result
      data-testid="not-built"
      status="info"
      title={`${t(`capabilities.${capability}.name`)} · ${t('notBuilt.title')}`}
      subTitle={t(`capabilities.${capability}.description`)}
      extra={
        <Link to="/">
          <Button>{t('notBuilt.backHome')}</Button>
        </Link>
      }
    />
  );
}
