import { DownOutlined, KeyOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Dropdown, Space, Tag, type MenuProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useCurrentUser, useLogout } from '../api/auth.ts';
import { useClusters } from '../api/reference.ts';
import { describeScope } from '../scope.ts';
import { can } from '../../../src/domain/policy/index.ts';

export function UserMenu() {
  const { t, i18n } = useTranslation();
  const user = useCurrentUser();
  // the cluster's name for the scope line; a role that may not read the reference data goes without it
  const clusters = useClusters(can(user, 'reference.data', 'read'));
  const logout = useLogout();
  const navigate = useNavigate();

  const items: MenuProps['items'] = [
    {
      key: 'password',
      icon: <KeyOutlined />,
      label: <span data-testid="change-password">{t('header.changePassword')}</span>,
    },
    { type: 'divider' },
    {
      key: 'logout',
      icon: <LogoutOutlined />,
      label: <span data-testid="logout">{t('header.logout')}</span>,
    },
  ];

  const onClick: MenuProps['onClick'] = ({ key }) => {
    if (key === 'password') void navigate('/account');
    if (key === 'logout') {
      // The session is forgotten locally even if the request fails, so the user is never stuck.
      logout.mutate(undefined, { onSettled: () => void navigate('/login', { replace: true }) });
    }
  };

  return (
    <Dropdown menu={{ items, onClick }} trigger={['click']}>
      {/* a long name (an enterprise user is named after its firm) wraps instead of widening a phone's page */}
      <Button
        type="text"
        data-testid="user-menu"
        style={{ height: 'auto', maxWidth: '100%', whiteSpace: 'normal', textAlign: 'start' }}
      >
        <Space size={6} wrap>
          <UserOutlined />
          <span data-testid="user-name">{user.displayName}</span>
          <Tag color="blue" style={{ marginInlineEnd: 0 }} data-testid="user-role">
            {t(`roles.${user.role}`)}
          </Tag>
          <span style={{ opacity: 0.75 }}>{describeScope(user, t, clusters.data, i18n.language)}</span>
          <DownOutlined style={{ fontSize: 10 }} />
        </Space>
      </Button>
    </Dropdown>
  );
}
