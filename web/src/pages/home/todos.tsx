// 我的待办: the signed-in user's to-dos by group (GET /api/home/todos), each a count — the overdue ones in
// red — linking to the page that lists them. Only non-empty groups are shown; none: 暂无待办.
import { useQuery } from '@tanstack/react-query';
import { Card, Col, Empty, Row, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { todosSchema } from '../../../../src/modules/home/schemas.ts';

export function useTodos() {
  return useQuery({
    queryKey: ['home', 'todos'],
    queryFn: ({ signal }) => api('/api/home/todos', { schema: todosSchema, signal }),
    staleTime: 30_000,
  });
}

export function TodoPanel() {
  const { t, i18n } = useTranslation();
  const todos = useTodos();
  const groups = (todos.data?.groups ?? []).filter((g) => g.count > 0);
  const en = i18n.language.startsWith('en');
  return (
    <Card title={t('home.todos.title')} size="small" loading={todos.isLoading} data-testid="home-todos">
      {todos.isError ? (
        <ErrorResult error={todos.error} onRetry={() => void todos.refetch()} />
      ) : groups.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('home.todos.empty')} />
      ) : (
        <Row gutter={[16, 16]}>
          {groups.map((g) => (
            <Col key={g.key} xs={12} sm={8} lg={6} xxl={4}>
              <Link to={g.path} data-testid={`todo-${g.key}`}>
                <Statistic title={en ? g.en : g.zh} value={g.count} />
                {g.overdue > 0 && (
                  <Typography.Text type="danger" data-testid={`todo-${g.key}-overdue`}>
                    {t('home.todos.overdue', { count: g.overdue })}
                  </Typography.Text>
                )}
              </Link>
            </Col>
          ))}
        </Row>
      )}
    </Card>
  );
}
