// Synthetic demo enterprises must never be mistaken for real ones, on any screen or screenshot.
import { useEffect, useRef } from 'react';
import { ExperimentOutlined, LoadingOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { cityInfoSchema } from '../api/contract.ts';
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

/**
 * While a first start is still writing part of the demo data in the background (the server answers
 * before it, issue 13), every page says so and names what is missing, rather than showing empty or
 * partial figures as if they were the data; it asks again every few seconds and refreshes every page's
 * data once the generation is done.
 */
export function DemoPendingBanner() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const city = useQuery({
    queryKey: ['city'],
    queryFn: ({ signal }) => api('/api/city', { schema: cityInfoSchema, signal }),
    refetchInterval: (q) => (q.state.data?.demoPending && !q.state.data.demoPending.failed ? 5_000 : false),
  });
  const pending = city.data?.demoPending ?? null;
  const was = useRef(false);
  useEffect(() => {
    if (pending) was.current = true;
    else if (was.current) {
      was.current = false;
      void client.invalidateQueries();
    }
  }, [pending, client]);
  if (!pending) return null;
  const parts = pending.steps.map((s) => t(`demo.parts.${s}`, { defaultValue: s })).join('、');
  return (
    <Alert
      data-testid="demo-pending"
      type={pending.failed ? 'error' : 'info'}
      showIcon
      icon={pending.failed ? undefined : <LoadingOutlined />}
      title={t(pending.failed ? 'demo.pendingFailed' : 'demo.pending', { parts })}
      style={{ marginBottom: 16 }}
    />
  );
}
