// The firm's 亩均 class on its profile: the latest published run covering it (its county's or the city's),
// linked to the explanation ("why this class?"). Nothing is shown while there is none.
import { Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useExplanation, useRuns } from '../evaluation/api.ts';
import { CLASS_COLORS } from '../evaluation/labels.ts';

export function EvaluationClass({ enterpriseId, regionCode }: { enterpriseId: number; regionCode: string }) {
  const { t } = useTranslation();
  const runs = useRuns();
  const city = regionCode.slice(0, 4) + '00';
  const run = (runs.data?.items ?? [])
    .filter((r) => r.status === 'published' && !r.supersededByRunId)
    .filter((r) => r.regionCode === regionCode || r.regionCode === city)
    .sort(
      (a, b) => b.year - a.year || Number(b.regionCode === regionCode) - Number(a.regionCode === regionCode),
    )[0];
  const explanation = useExplanation(run?.id ?? 0, run ? enterpriseId : 0);
  if (!run || !explanation.data) return null;
  const e = explanation.data;
  return (
    <Space size={4} data-testid="profile-evaluation-class">
      <Typography.Text type="secondary">{t('profile.evaluationClass', { year: e.year })}</Typography.Text>
      {e.class ? (
        <Tag color={CLASS_COLORS[e.class]}>{t('profile.classN', { cls: e.class })}</Tag>
      ) : (
        <Tag>{t('profile.notEvaluated')}</Tag>
      )}
      <Link to={`/evaluation/runs/${run.id}/enterprises/${enterpriseId}`}>{t('profile.whyClass')}</Link>
    </Space>
  );
}
