// The enterprise list's filters, sort and page live in the URL, so a copied link reproduces the view.
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { enterpriseListQuery, type EnterpriseListQuery } from '../../api/contract.ts';

const DEFAULTS = enterpriseListQuery.parse({});

/**
 * Parses the query string with the server's own schema. A link with one bad value (an unknown
 * tier, page=abc) keeps its other filters instead of failing as a whole.
 */
export function parseListQuery(search: URLSearchParams): EnterpriseListQuery {
  const raw: Record<string, string> = {};
  for (const [key, value] of search) if (value !== '') raw[key] = value;
  for (let attempt = 0; attempt < 5; attempt++) {
    const result = enterpriseListQuery.safeParse(raw);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      const key = issue.path[0];
      if (typeof key === 'string') delete raw[key];
    }
  }
  return DEFAULTS;
}

/** The query string for a view, leaving out defaults so links stay short. */
export function toSearch(query: EnterpriseListQuery): URLSearchParams {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query) as [keyof EnterpriseListQuery, unknown][]) {
    if (value === undefined || value === '' || value === DEFAULTS[key]) continue;
    search.set(key, String(value));
  }
  return search;
}

export type ListPatch = Partial<Record<keyof EnterpriseListQuery, string | number | undefined>>;

export function useListParams(): [EnterpriseListQuery, (patch: ListPatch) => void] {
  const [search, setSearch] = useSearchParams();
  const query = useMemo(() => parseListQuery(search), [search]);
  const update = useCallback(
    (patch: ListPatch) => {
      // A new filter or sort starts again at page 1; only an explicit page change keeps its page.
      const next: Record<string, unknown> = { ...query, page: 1, ...patch };
      setSearch(toSearch(parseListQuery(toSearchRaw(next))));
    },
    [query, setSearch],
  );
  return [query, update];
}

function toSearchRaw(values: Record<string, unknown>): URLSearchParams {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  return search;
}
