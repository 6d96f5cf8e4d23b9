// The chain map: an ECharts graph laid out left to right along the supply paths (layout.ts), coloured by
// strength, gaps outlined (missing dashed red, weak orange). Clicking a node selects it. The pixel
// position of every node is published on the element (data-node-positions) so tests can click them.
import { useEffect, useMemo, useRef } from 'react';
import { GraphChart, type GraphSeriesOption } from 'echarts/charts';
import { TooltipComponent, type TooltipComponentOption } from 'echarts/components';
import { init, use as registerModules, type ComposeOption, type ECharts } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../../format.ts';
import type { ChainDetail } from './api.ts';
import { strengthColour } from './labels.ts';
import { layoutChain } from './layout.ts';

registerModules([GraphChart, TooltipComponent, CanvasRenderer]);

type Option = ComposeOption<GraphSeriesOption | TooltipComponentOption>;

const COLUMN = 200;
const ROW = 56;

export function ChainGraph({
  chain,
  selected,
  onSelect,
}: {
  chain: ChainDetail;
  selected: string | null;
  onSelect: (code: string) => void;
}) {
  const { t } = useTranslation();
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const select = useRef(onSelect);
  select.current = onSelect;

  const placed = useMemo(
    () => new Map(layoutChain(chain.nodes, chain.edges).map((p) => [p.code, p])),
    [chain],
  );
  const rows = Math.max(1, ...[...placed.values()].map((p) => p.row + 1));
  const height = Math.max(320, rows * ROW + 80);

  useEffect(() => {
    if (!element.current) return;
    const instance = init(element.current);
    chart.current = instance;
    instance.on('click', (params) => {
      const data = params.data as { id?: string } | undefined;
      if (params.dataType === 'node' && data?.id) select.current(data.id);
    });
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const instance = chart.current;
    const el = element.current;
    if (!instance || !el) return;
    const nodes = chain.nodes.map((n) => {
      const at = placed.get(n.code) ?? { column: 0, row: 0 };
      const missing = n.status === 'missing';
      const weak = n.status === 'weak';
      const isSelected = n.code === selected;
      return {
        id: n.code,
        name: n.name,
        x: at.column * COLUMN,
        y: at.row * ROW,
        symbol: 'roundRect',
        symbolSize: [124, 38] as [number, number],
        value: n.output ?? 0,
        itemStyle: {
          color: strengthColour(n.strength, missing),
          borderColor: isSelected ? '#000' : missing ? '#cf1322' : weak ? '#fa8c16' : '#adc6ff',
          borderWidth: isSelected ? 3 : missing || weak ? 2.5 : 1,
          borderType: missing ? ('dashed' as const) : ('solid' as const),
        },
        label: {
          show: true,
          color: (n.strength ?? 0) > 60 && !missing ? '#fff' : '#262626',
          fontSize: 11,
          width: 116,
          overflow: 'truncate' as const,
        },
        tooltip: {
          formatter: () =>
            `<b>${n.name}</b><br/>${t(`chains.stage.${n.stage}`)} · ${t(`chains.status.${n.status}`)}<br/>` +
            `${t('chains.fields.firms')}: ${n.firms}<br/>${t('chains.fields.output')}: ${formatMoney(n.output, t)}`,
        },
      };
    });
    const option: Option = {
      tooltip: { trigger: 'item' },
      series: [
        {
          type: 'graph',
          layout: 'none',
          roam: true,
          left: 72,
          right: 72,
          top: 40,
          bottom: 40,
          data: nodes,
          links: chain.edges.map((e) => ({ source: e.from, target: e.to })),
          edgeSymbol: ['none', 'arrow'],
          edgeSymbolSize: 8,
          lineStyle: { color: '#8c8c8c', width: 1.2, curveness: 0.1 },
          emphasis: { focus: 'adjacency' },
        },
      ],
    };
    instance.setOption(option, true);
    instance.resize();
    // Publish where each node was drawn (CSS pixels inside the element).
    const positions: Record<string, [number, number]> = {};
    for (const n of nodes) {
      const p = instance.convertToPixel({ seriesIndex: 0 }, [n.x, n.y]) as number[] | undefined;
      if (p) positions[n.id] = [Math.round(p[0]!), Math.round(p[1]!)];
    }
    el.dataset.nodePositions = JSON.stringify(positions);
  }, [chain, selected, t, height, placed]);

  return <div ref={element} style={{ width: '100%', height }} data-testid="chain-graph" />;
}
