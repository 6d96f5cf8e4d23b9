import { createContext, useContext } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isStatus } from './client.ts';
import { currentUserSchema, okSchema, type CurrentUser } from './contract.ts';
import { KEEP_SESSION_ON_401, ME_KEY } from './queryClient.ts';
import { z } from 'zod';

/** The logged-in user, or null when there is no session (401). */
export function useMe() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: async ({ signal }): Promise<CurrentUser | null> => {
      try {
        return await api('/api/auth/me', { schema: currentUserSchema, signal });
      } catch (error) {
        if (isStatus(error, 401)) return null;
        throw error;
      }
    },
    staleTime: 5 * 60_000,
  });
}

/**
 * The signed-in user, provided by the route guard (RequireAuth). A context rather than another
 * subscription to the `me` query: when a 401 clears the session, the guard swaps the pages for a
 * redirect, and no page ever renders with a missing user on the way out.
 */
export const CurrentUserContext = createContext<CurrentUser | null>(null);

export function useCurrentUser(): CurrentUser {
  const user = useContext(CurrentUserContext);
  if (!user) throw new Error('useCurrentUser used outside the authenticated shell');
  return user;
}

export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { username: string; password: string }) =>
      api('/api/auth/login', { method: 'POST', body, schema: z.object({ user: currentUserSchema }) }),
    meta: KEEP_SESSION_ON_401,
    onSuccess: ({ user }) => {
      // A different user may log in on the same tab: drop everything cached for the previous one.
      client.clear();
      client.setQueryData(ME_KEY, user);
    },
  });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api('/api/auth/logout', { method: 'POST', schema: okSchema }),
    onSettled: () => {
      client.clear();
      client.setQueryData(ME_KEY, null);
    },
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      api('/api/auth/password', { method: 'POST', body, schema: okSchema }),
    meta: KEEP_SESSION_ON_401,
  });
}
