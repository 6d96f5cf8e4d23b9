import type { TFunction } from 'i18next';
// "Why am I class C?": per indicator value, benchmark, weight, score, rank and the rule; what would
// move the enterprise up; its policies; and (for the enterprise itself) an objection form.
import { useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Result,
  Space,
  Table,
  Tag,
  Upload,
  type UploadFile,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useCurrentUser } from '../../api/auth.ts';
import { errorMessage, isStatus } from '../../api/client.ts';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { PageLoading } from '../../components/PageLoading.tsx';
import { useExplanation, useFileObjectionWithFiles, type ExplanationDto } from './api.ts';
import { CLASS_COLORS, fmt, groupLabel, LEVER_UNITS, pct, policyLabel, withUnit } from './labels.ts';
import { unitName } from '../../format.ts';
import { INDICATORS } from '../../../../src/domain/evaluation/indicators.ts';

type Indicator = ExplanationDto['indicators'][number];

const leverText = (lever: string, v: number, t: TFunction) => {
  const unit = LEVER_UNITS[lever];
  return unit ? withUnit(v, unit, t) : fmt(v);
};

export function ExplanationPage() {
  const { t, i18n } = useTranslation();
  const user = useCurrentUser();
  const params = useParams();
  const runId = Number(params.runId);
  const enterpriseId = Number(params.enterpriseId);
  const q = useExplanation(runId, enterpriseId);
  const file = useFileObjectionWithFiles(runId);
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [filed, setFiled] = useState(false);
  const zh = i18n.language.startsWith('zh');
  if (isStatus(q.error, 404))
    return (
      <Result status="404" title={t('evaluation.explain.notFound')} data-testid="evaluation-not-found" />
    );
  if (q.error) return <ErrorResult error={q.error} />;
  if (!q.data) return <PageLoading />;
  const e = q.data;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="evaluation-explanation">
      <Descriptions bordered size="small" column={2} title={`${e.enterprise.name}（${e.year}）`}>
        <Descriptions.Item label={t('evaluation.result.group')}>{groupLabel(t, e.scale)}</Descriptions.Item>
        <Descriptions.Item label={t('evaluation.explain.class')}>
          {e.class ? (
            <>
              <Tag color={CLASS_COLORS[e.class]} data-testid="evaluation-class">
                {e.class}
              </Tag>
              {e.aPlus && <Tag color="green">{t('evaluation.explain.aPlus')}</Tag>}
            </>
          ) : (
            t('evaluation.explain.notEvaluated')
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('evaluation.explain.total')}>{fmt(e.total)}</Descriptions.Item>
        <Descriptions.Item label={t('evaluation.result.rank')}>
          {e.rank ? `${e.rank} / ${e.groupSize}` : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('evaluation.explain.position')}>{pct(e.position)}</Descriptions.Item>
        <Descriptions.Item label="A / B / C">{`p < ${pct(e.classification.cuts.A)} / ${pct(e.classification.cuts.B)} / ${pct(e.classification.cuts.C)}`}</Descriptions.Item>
        <Descriptions.Item label={t('evaluation.explain.ruleSet')} span={2}>
          <span data-testid="evaluation-rule-set">
            {t('evaluation.explain.ruleSetCite', {
              name: e.ruleSet.name,
              code: e.ruleSet.code,
              version: e.ruleSet.version,
            })}
          </span>
        </Descriptions.Item>
      </Descriptions>
      {e.exclusion && <Alert type="info" message={zh ? e.exclusion.zh : e.exclusion.en} />}
      {e.classRule && (
        <Alert
          type="warning"
          data-testid="evaluation-class-rule"
          message={zh ? e.classRule.zh : e.classRule.en}
        />
      )}
      {(e.flags.length > 0 || e.adjustments.length > 0) && (
        <Card size="small" title={t('evaluation.explain.flags')} data-testid="evaluation-flags">
          <Space wrap>
            {e.flags.map((f) => (
              <Tag key={f.key}>{f.zh}</Tag>
            ))}
          </Space>
          {e.adjustments.map((a) => (
            <div key={a.id}>
              {a.label}：
              {a.kind === 'bonus' || a.kind === 'penalty'
                ? t('evaluation.explain.points', { points: fmt(a.points) })
                : a.changed
                  ? t('evaluation.explain.classMoved', { from: a.classBefore, to: a.classAfter })
                  : t('evaluation.explain.noEffect')}
            </div>
          ))}
        </Card>
      )}
      {e.evaluated && (
        <Table<Indicator>
          rowKey="key"
          size="small"
          pagination={false}
          dataSource={e.indicators}
          columns={[
            {
              title: t('evaluation.explain.indicator'),
              render: (_, r) =>
                `${zh ? r.zh : (INDICATORS[r.key]?.en ?? r.zh)}${zh ? '（' : ' ('}${r.unit ? unitName(r.unit, t) : '%'}${zh ? '）' : ')'}`,
            },
            // At most two decimals, with the unit; a ratio (R&D share) as %.
            { title: t('evaluation.explain.value'), render: (_, r) => withUnit(r.value, r.unit, t) },
            { title: t('evaluation.explain.benchmark'), render: (_, r) => withUnit(r.benchmark, r.unit, t) },
            { title: t('evaluation.explain.weight'), dataIndex: 'weight' },
            { title: t('evaluation.explain.score'), render: (_, r) => fmt(r.score) },
            { title: t('evaluation.explain.rank'), render: (_, r) => `${r.rank} / ${e.groupSize}` },
            { title: t('evaluation.explain.rule'), render: (_, r) => (zh ? r.rule.zh : r.rule.en) },
          ]}
        />
      )}
      {e.nextClass && (
        <Card
          size="small"
          title={t('evaluation.explain.moveUp', { cls: e.nextClass })}
          data-testid="evaluation-move-up"
        >
          {e.moveUp.length === 0
            ? t('evaluation.explain.moveUpNone')
            : e.moveUp.map((m) => (
                <div key={m.lever} data-testid={`move-up-${m.lever}`}>
                  {zh ? m.zh : m.en}: {t('evaluation.explain.required')} {leverText(m.lever, m.required, t)}（
                  {t('evaluation.explain.change')} {m.change > 0 ? '+' : ''}
                  {leverText(m.lever, m.change, t)}）
                </div>
              ))}
        </Card>
      )}
      <Card size="small" title={t('evaluation.explain.policies')}>
        {e.policies.length === 0
          ? t('evaluation.explain.noPolicies')
          : e.policies.map((p) => (
              <div key={p.id} data-testid="evaluation-policy">
                {`${policyLabel(p, t, zh ? 'zh-CN' : 'en')}${zh ? '：' : ': '}${p.value} ${unitName(p.unit, t)}`}
                {p.amount != null && ` → ${fmt(p.amount)} ${unitName(p.amountUnit, t)}（${p.formula}）`}
              </div>
            ))}
      </Card>
      {user.role === 'enterprise' && e.runStatus === 'published' && (
        <Card size="small" title={t('evaluation.explain.objection')}>
          {filed ? (
            <Alert type="success" message={t('evaluation.explain.filed')} />
          ) : (
            <Form
              layout="vertical"
              onFinish={(v: { text: string; evidence: string }) =>
                file.mutate(
                  {
                    enterpriseId,
                    ...v,
                    files: files.map((f) => f.originFileObj).filter((f): f is NonNullable<typeof f> => !!f),
                  },
                  { onSuccess: () => setFiled(true) },
                )
              }
            >
              <Form.Item
                name="text"
                label={t('evaluation.explain.objectionText')}
                rules={[{ required: true, min: 2 }]}
              >
                <Input.TextArea rows={2} />
              </Form.Item>
              <Form.Item
                name="evidence"
                label={t('evaluation.explain.evidence')}
                rules={[{ required: true, min: 2 }]}
              >
                <Input.TextArea rows={3} />
              </Form.Item>
              <Form.Item label={t('evaluation.explain.files')} extra={t('evaluation.explain.filesHint')}>
                <Upload
                  multiple
                  accept=".pdf,.jpg,.jpeg,.png,.xlsx"
                  fileList={files}
                  maxCount={5}
                  // kept until the objection is filed, then sent with it
                  beforeUpload={() => false}
                  onChange={({ fileList }) => setFiles(fileList)}
                  data-testid="objection-files"
                >
                  <Button>{t('evaluation.explain.addFiles')}</Button>
                </Upload>
              </Form.Item>
              {file.error && <Alert type="error" message={errorMessage(file.error, i18n.language)} />}
              <Button htmlType="submit" type="primary" loading={file.isPending}>
                {t('evaluation.explain.submit')}
              </Button>
            </Form>
          )}
        </Card>
      )}
    </Space>
  );
}
