// Synthetic demo enterprises must never be mistaken for real ones, on any screen or screenshot.
import { ExperimentOutlined } from '@ant-design/icons';
import { Alert, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCity } from '../api/reference.ts';

export function DemoBanner({ variant }: { variant: 'tag' | 'alert' }) {
  const { t } = useTranslation();
  const city = useCity();
  if (!city.data?.demoData) return null;
  if (variant === 'alert') {
    return (
      <Alert
        data-testid="demo-banner"
        type="warning"
        showIcon
        icon={<ExperimentOutlined />}
        title={t('demo.notice')}
        style={{ marginBottom: 16 }}
      />
    );
  }
  return (
    <Tag data-testid="demo-banner" color="gold" icon={<ExperimentOutlined />} style={{ marginInlineEnd: 0 }}>
      {t('demo.notice')}
    </Tag>
  );
}
