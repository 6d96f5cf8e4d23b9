// The chains of the atlas, grouped by cluster in the clusters' order; within a cluster the landmark chains
// (标志性产业链) come first with their tag, then the cluster's own chain, then chains administrators created
// (the order GET /api/chains gives).
import { Radio, Space, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useClusters } from '../../api/reference.ts';
import './i18n.ts';
import type { ChainSummary } from './api.ts';

export function ChainPicker({
  chains,
  value,
  onChange,
}: {
  chains: readonly ChainSummary[];
  value: string;
  onChange: (code: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const clusters = useClusters();
  const en = i18n.language === 'en';
  const groups: { cluster: string; chains: ChainSummary[] }[] = [];
  for (const c of chains) {
    const last = groups[groups.length - 1];
    if (last && last.cluster === c.clusterCode) last.chains.push(c);
    else groups.push({ cluster: c.clusterCode, chains: [c] });
  }
  const clusterName = (code: string) => {
    const c = clusters.data?.find((x) => x.code === code);
    return c ? (en ? c.nameEn : c.name) : code;
  };
  return (
    <Space wrap size={[16, 8]} style={{ marginBottom: 12 }} data-testid="chain-picker">
      {groups.map((g) => (
        <Space key={g.cluster} size={6} data-testid={`chain-group-${g.cluster}`}>
          <Typography.Text type="secondary">{clusterName(g.cluster)}</Typography.Text>
          <Radio.Group
            size="small"
            optionType="button"
            value={g.chains.some((c) => c.code === value) ? value : undefined}
            onChange={(e) => onChange(String(e.target.value))}
          >
            {g.chains.map((c) => (
              <Radio.Button key={c.code} value={c.code}>
                <span data-testid={`chain-tab-${c.code}`}>
                  {en && c.nameEn ? c.nameEn : c.name}
                  {c.landmark && (
                    <Tooltip title={c.policyNote ?? t('chains.landmarkHint')}>
                      <Tag color="red" style={{ marginInlineStart: 4, marginInlineEnd: 0 }}>
                        {t('chains.landmarkShort')}
                      </Tag>
                    </Tooltip>
                  )}
                </span>
              </Radio.Button>
            ))}
          </Radio.Group>
        </Space>
      ))}
    </Space>
  );
}
