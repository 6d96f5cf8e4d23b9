// One QueryClient for the app. A 401 from any request means the session has ended (expired, logged
// out elsewhere, password changed): we forget the current user, and the route guard sends the
// browser to /login.
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError, isStatus } from './client.ts';

export const ME_KEY = ['auth', 'me'] as const;

/** Mutations whose 401 means "wrong password", not "session ended", set this in their meta. */
export const KEEP_SESSION_ON_401 = { keepSessionOn401: true } as const;

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      // useMe itself turns its 401 into null, so this only sees other requests.
      onError: (error) => {
        if (isStatus(error, 401)) client.setQueryData(ME_KEY, null);
      },
    }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _result, mutation) => {
        if (isStatus(error, 401) && !mutation.options.meta?.keepSessionOn401)
          client.setQueryData(ME_KEY, null);
      },
    }),
    defaultOptions: {
      queries: {
        // Client errors (403, 404 …) will not change on retry; network and server errors might.
        retry: (failures, error) =>
          !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2,
        staleTime: 30_000,
        refetchOnWindowFocus: false,
      },
    },
  });
  return client;
}
