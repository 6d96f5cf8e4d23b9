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

/** The current user inside the authenticated shell, where the route guard guarantees one. */
export function useCurrentUser(): CurrentUser {
  const { data } = useMe();
  if (!data) throw new Error('useCurrentUser used outside the authenticated shell');
  return data;
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
