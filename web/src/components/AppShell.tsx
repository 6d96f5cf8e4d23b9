// The frame around every signed-in page: capability menu, city and user in the header.
import { useState } from 'react';
import { Grid, Layout, Menu, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { useCurrentUser } from '../api/auth.ts';
import { useCity } from '../api/reference.ts';
import { capabilityOfPath, visibleCapabilities } from '../capabilities.tsx';
import { DemoBanner } from './DemoBanner.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { SuspensePage } from './PageLoading.tsx';
import { UserMenu } from './UserMenu.tsx';

const { Header, Sider, Content } = Layout;

export function AppShell() {
  const { t, i18n } = useTranslation();
  const user = useCurrentUser();
  const city = useCity();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  // On a phone the menu folds away entirely (its trigger stays) and the header gives the page the width:
  // a firm files and follows its requests on a phone.
  const screens = Grid.useBreakpoint();
  const phone = screens.sm === false;

  const selected = capabilityOfPath(location.pathname);
  const cityName = city.data ? (i18n.language === 'en' ? city.data.nameEn : city.data.name) : '';

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        breakpoint="lg"
        width={208}
        collapsedWidth={phone ? 0 : 80}
      >
        <div
          style={{
            color: '#fff',
            padding: '16px 20px',
            fontWeight: 600,
            whiteSpace: 'nowrap',
            overflow: 'hidden',
          }}
        >
          {collapsed ? 'CS' : 'clusterscope'}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={selected ? [selected.key] : []}
          items={visibleCapabilities(user).map((c) => ({
            key: c.key,
            icon: c.icon,
            label: (
              <Link to={c.path} data-testid={`nav-${c.key}`}>
                {t(`capabilities.${c.key}.name`)}
              </Link>
            ),
          }))}
        />
      </Sider>
      <Layout>
        <Header
          style={{
            background: '#fff',
            padding: phone ? '0 8px' : '0 16px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            gap: 12,
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <Space size={12} style={{ minWidth: 0 }}>
            <Typography.Text
              strong
              data-testid="city-name"
              ellipsis
              style={{ fontSize: 16, whiteSpace: 'nowrap', maxWidth: phone ? 120 : undefined }}
            >
              {cityName}
              {cityName ? ' · ' : ''}
              {t('app.title')}
            </Typography.Text>
            <DemoBanner variant="tag" />
          </Space>
          <Space size={phone ? 4 : 12}>
            <LanguageSwitch />
            <UserMenu />
          </Space>
        </Header>
        <Content style={{ margin: phone ? 8 : 16 }}>
          <SuspensePage>
            <Outlet />
          </SuspensePage>
        </Content>
      </Layout>
    </Layout>
  );
}
