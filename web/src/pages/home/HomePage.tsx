// A short welcome: who you are, what you can see, your to-dos (我的待办), and which capabilities exist so far.
import { Card, Col, Row, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCurrentUser } from '../../api/auth.ts';
import { useClusters, useHealth } from '../../api/reference.ts';
import { visibleCapabilities } from '../../capabilities.tsx';
import { describeScope } from '../../scope.ts';
import { TodoPanel } from './todos.tsx';

export default function HomePage() {
  const { t, i18n } = useTranslation();
  const user = useCurrentUser();
  const clusters = useClusters();
  const health = useHealth();
  const capabilities = visibleCapabilities(user).filter((c) => c.key !== 'home');
  const builtCount = capabilities.filter((c) => c.built).length;

  return (
    <>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('home.welcome', { name: user.displayName })}
      </Typography.Title>
      <Typography.Paragraph>
        {t('home.scope', {
          role: t(`roles.${user.role}`),
          scope: describeScope(user, t, clusters.data, i18n.language),
        })}
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary">
        {t('home.progress', { built: builtCount, total: capabilities.length })}
      </Typography.Paragraph>
      <div style={{ marginBottom: 16 }}>
        <TodoPanel />
      </div>
      <Row gutter={[16, 16]}>
        {capabilities.map((c) => (
          <Col key={c.key} xs={24} sm={12} lg={8} xxl={6}>
            <Link to={c.path} data-testid={`home-${c.key}`}>
              <Card hoverable size="small" style={{ height: '100%' }}>
                <Card.Meta
                  avatar={c.icon}
                  title={
                    <span>
                      {t(`capabilities.${c.key}.name`)}{' '}
                      {c.built ? <Tag color="green">{t('home.built')}</Tag> : <Tag>{t('home.notBuilt')}</Tag>}
                    </span>
                  }
                  description={t(`capabilities.${c.key}.description`)}
                />
              </Card>
            </Link>
          </Col>
        ))}
      </Row>
      {health.data && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 24, fontSize: 12 }}>
          {t('home.health', {
            version: health.data.version,
            database: health.data.database,
            schema: health.data.schemaVersion,
          })}
        </Typography.Paragraph>
      )}
    </>
  );
}
