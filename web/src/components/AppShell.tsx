// The frame around every signed-in page: capability menu, city and user in the header.
import { useState } from 'react';
import { Grid, Layout, Menu, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { useCurrentUser } from '../api/auth.ts';
import { useCity } from '../api/reference.ts';
import { capabilityOfPath, visibleCapabilities } from '../capabilities.tsx';
import { can } from '../permissions.ts';
import { DemoBanner, DemoPendingBanner } from './DemoBanner.tsx';
import { Forbidden } from './Forbidden.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { PageLoading, SuspensePage } from './PageLoading.tsx';
import { useLocalNamesReady } from '../names.ts';
import { UserMenu } from './UserMenu.tsx';

const { Header, Sider, Content } = Layout;

export function AppShell() {
  const { t, i18n } = useTranslation();
  const user = useCurrentUser();
  const city = useCity();
  const namesReady = useLocalNamesReady();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  // On a phone (below md, 768 px) the menu folds away completely (a button opens it) and the header wraps,
  // so nothing overlaps and no page is wider than the screen.
  const screens = Grid.useBreakpoint();
  const phone = screens.md === false;

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
        // The button that opens the folded menu sits in the header's first line, left of the title.
        zeroWidthTriggerStyle={{ top: 6 }}
        style={
          phone && !collapsed
            ? { position: 'fixed', zIndex: 20, height: '100vh', left: 0, top: 0 }
            : undefined
        }
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
      <Layout style={{ minWidth: 0 }}>
        <Header
          data-testid="app-header"
          style={{
            background: '#fff',
            padding: phone ? '6px 8px 6px 44px' : '0 16px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            flexWrap: phone ? 'wrap' : 'nowrap',
            height: phone ? 'auto' : undefined,
            lineHeight: phone ? '32px' : undefined,
            gap: phone ? 4 : 12,
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <Space size={phone ? 4 : 12} style={{ minWidth: 0 }} wrap={phone}>
            <Typography.Text
              strong
              data-testid="city-name"
              ellipsis={phone}
              style={{
                fontSize: phone ? 14 : 16,
                whiteSpace: 'nowrap',
                maxWidth: phone ? 300 : undefined,
                verticalAlign: 'middle',
              }}
            >
              {cityName}
              {cityName ? ' · ' : ''}
              {t('app.title')}
            </Typography.Text>
            <DemoBanner variant="tag" />
          </Space>
          <Space size={phone ? 4 : 12} wrap={phone}>
            <LanguageSwitch />
            <UserMenu />
          </Space>
        </Header>
        <Content style={{ margin: phone ? 8 : 16, minWidth: 0 }}>
          <DemoPendingBanner />
          <SuspensePage>
            {selected?.resource && !can(user, selected.resource, 'read') ? (
              <Forbidden user={user} resource={selected.resource} />
            ) : !namesReady ? (
              <PageLoading />
            ) : (
              <Outlet />
            )}
          </SuspensePage>
        </Content>
      </Layout>
    </Layout>
  );
}
