// Changing a draft's method: dimension weights, indicator base/target values, normalisation,
// aggregation, missing-data treatment and years. Saving recomputes the draft on today's data — its
// results are the preview; "版本对比" shows what they change against the edition in force.
import { useState } from 'react';
import { Alert, Button, Card, InputNumber, Select, Space, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client.ts';
import { indexEditionSchema } from '../../../../src/modules/cluster-index/schemas.ts';
import { NORM_ZH, AGG_ZH, MISSING_ZH } from '../../../../src/domain/cluster-index/method.ts';
import type { EditionBody, IndexEdition } from './api.ts';

export function DraftEditor({ edition }: { edition: IndexEdition }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const [body, setBody] = useState<EditionBody>(edition.body);
  const save = useMutation({
    mutationFn: () =>
      api(`/api/index/editions/${edition.id}`, { method: 'PUT', body, schema: indexEditionSchema }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['index'] }),
  });
  const fw = body.framework;
  const setFw = (patch: Partial<EditionBody['framework']>) =>
    setBody({ ...body, framework: { ...fw, ...patch } });
  const problem = save.error instanceof ApiError ? save.error.problem : null;
  return (
    <Card
      size="small"
      title={t('clusterIndex.editDraft')}
      style={{ marginTop: 12 }}
      data-testid="index-draft-editor"
    >
      <Space wrap>
        {t('clusterIndex.years')}
        <InputNumber
          value={body.years.from}
          min={2000}
          max={2100}
          onChange={(v) => v && setBody({ ...body, years: { ...body.years, from: v } })}
        />
        <InputNumber
          value={body.years.to}
          min={2000}
          max={2100}
          onChange={(v) => v && setBody({ ...body, years: { ...body.years, to: v } })}
        />
        <Select
          style={{ width: 260 }}
          value={fw.normalisation}
          onChange={(v) => setFw({ normalisation: v })}
          options={Object.entries(NORM_ZH).map(([value, label]) => ({ value, label }))}
        />
        <Select
          style={{ width: 160 }}
          value={fw.aggregation}
          onChange={(v) => setFw({ aggregation: v })}
          options={Object.entries(AGG_ZH).map(([value, label]) => ({ value, label }))}
        />
        <Select
          style={{ width: 280 }}
          value={fw.missing}
          onChange={(v) => setFw({ missing: v })}
          options={Object.entries(MISSING_ZH).map(([value, label]) => ({ value, label }))}
        />
      </Space>
      <Table
        style={{ marginTop: 8 }}
        size="small"
        pagination={false}
        rowKey="key"
        dataSource={fw.dimensions}
        columns={[
          { title: t('clusterIndex.dimension'), dataIndex: 'name' },
          {
            title: t('clusterIndex.weight'),
            key: 'w',
            render: (_, d, i) => (
              <InputNumber
                min={0}
                max={100}
                step={0.05}
                value={d.weight}
                data-testid={`index-weight-${d.key}`}
                onChange={(v) =>
                  setFw({ dimensions: fw.dimensions.map((x, j) => (j === i ? { ...x, weight: v ?? 0 } : x)) })
                }
              />
            ),
          },
        ]}
      />
      <Table
        style={{ marginTop: 8 }}
        size="small"
        pagination={false}
        rowKey="key"
        dataSource={fw.indicators}
        columns={[
          { title: t('clusterIndex.indicator'), dataIndex: 'name' },
          ...(['base', 'target', 'weight'] as const).map((k) => ({
            title: t(`clusterIndex.${k}`),
            key: k,
            render: (_: unknown, ind: (typeof fw.indicators)[number], i: number) => (
              <InputNumber
                value={ind[k]}
                onChange={(v) =>
                  setFw({ indicators: fw.indicators.map((x, j) => (j === i ? { ...x, [k]: v ?? 0 } : x)) })
                }
              />
            ),
          })),
        ]}
      />
      <Space style={{ marginTop: 8 }}>
        <Button
          type="primary"
          loading={save.isPending}
          onClick={() => save.mutate()}
          data-testid="index-draft-save"
        >
          {t('clusterIndex.saveDraft')}
        </Button>
      </Space>
      {problem && (
        <Alert
          style={{ marginTop: 8 }}
          type="error"
          message={i18n.language === 'en' ? problem.detail : (problem.detailZh ?? problem.detail)}
          description={problem.errors?.map((e) => `${e.field}: ${e.messageZh ?? e.message}`).join('；')}
        />
      )}
    </Card>
  );
}
