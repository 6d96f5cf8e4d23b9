// Sends visitors without a session to /login, remembering where they wanted to go.
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { CurrentUserContext, useMe } from '../api/auth.ts';
import { ErrorResult } from './ErrorResult.tsx';
import { PageLoading } from './PageLoading.tsx';

export interface LoginRedirectState {
  from?: string;
}

export function RequireAuth({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <PageLoading />;
  if (me.isError) return <ErrorResult error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) {
    const state: LoginRedirectState = { from: `${location.pathname}${location.search}` };
    return <Navigate to="/login" replace state={state} />;
  }
  return <CurrentUserContext value={me.data}>{children}</CurrentUserContext>;
}
