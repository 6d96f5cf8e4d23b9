// The chain's pages, as a row of links: the atlas, its structure, the edit history, the 招商 target
// library, the chain projects and the roadmap. Shown on the atlas and on every chain sub-page.
import type React from 'react';
import { Button, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import './i18n.ts';

export const CHAIN_PAGES = ['atlas', 'structure', 'history', 'targets', 'projects', 'roadmap'] as const;
export type ChainPage = (typeof CHAIN_PAGES)[number];

export const chainPagePath = (code: string, page: ChainPage): string =>
  page === 'atlas' ? `/chains/${code}` : `/chains/${code}/${page}`;

export function ChainLinks({ code, active }: { code: string; active: ChainPage }) {
  const { t } = useTranslation();
  return (
    <Space wrap className="no-print" data-testid="chain-links">
      {CHAIN_PAGES.filter((p) => p !== active).map((p) => (
        <Link key={p} to={chainPagePath(code, p)} data-testid={`chain-${p}-link`}>
          <Button>{t(`chains.pages.${p}`)}</Button>
        </Link>
      ))}
    </Space>
  );
}

/** Title of a chain sub-page (chain name · page) with the links to the chain's other pages. */
export function ChainPageHeader({
  code,
  page,
  chainName,
  extra,
}: {
  code: string;
  page: ChainPage;
  chainName: string | undefined;
  extra?: React.ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Space
      style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }}
      wrap
      data-testid={`chain-${page}-page`}
    >
      <Typography.Title level={3} style={{ margin: 0 }}>
        {chainName ?? code} · {t(`chains.pages.${page}`)}
      </Typography.Title>
      <Space wrap>
        {extra}
        <ChainLinks code={code} active={page} />
      </Space>
    </Space>
  );
}
