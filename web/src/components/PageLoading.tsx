import { Suspense, type ReactNode } from 'react';
import { Spin } from 'antd';

export function PageLoading() {
  return (
    <div style={{ display: 'flex', justifyContent: 'center', padding: 64 }} data-testid="page-loading">
      <Spin size="large" />
    </div>
  );
}

/** Shows a spinner while a lazily loaded page's code arrives. */
export function SuspensePage({ children }: { children: ReactNode }) {
  return <Suspense fallback={<PageLoading />}>{children}</Suspense>;
}
