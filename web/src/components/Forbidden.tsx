// 无权限, with the policy's reason: what a page shows instead of its content (or an empty table) when
// the user's role may not read it. The same sentence the server sends with its 403.
import { Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { decide, type Action, type Resource } from '../permissions.ts';
import type { CurrentUser } from '../api/contract.ts';

export function Forbidden({
  user,
  resource,
  action = 'read',
}: {
  user: CurrentUser;
  resource: Resource;
  action?: Action;
}) {
  const { t, i18n } = useTranslation();
  const d = decide(user, resource, action);
  return (
    <Result
      status="403"
      title={t('errors.forbidden')}
      subTitle={
        i18n.language.startsWith('zh') ? `无权限：${d.reasonZh ?? ''}` : `Not allowed: ${d.reasonEn ?? ''}`
      }
      data-testid="forbidden"
    />
  );
}
