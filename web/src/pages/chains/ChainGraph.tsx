// The chain map: an ECharts graph laid out left to right along the supply paths (layout.ts), coloured by
// strength, gaps outlined (missing dashed red, weak orange). Clicking a node selects it. The pixel
// position of every node is published on the element (data-node-positions) so tests can click them.
import { useEffect, useMemo, useRef, useState } from 'react';
import { GraphChart, type GraphSeriesOption } from 'echarts/charts';
import { TooltipComponent, type TooltipComponentOption } from 'echarts/components';
import { init, use as registerModules, type ComposeOption, type ECharts } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useTranslation } from 'react-i18next';
import { formatMoney, escapeHtml } from '../../format.ts';
import type { ChainDetail } from './api.ts';
import { strengthColour } from './labels.ts';
import { layoutChain } from './layout.ts';

registerModules([GraphChart, TooltipComponent, CanvasRenderer]);

type Option = ComposeOption<GraphSeriesOption | TooltipComponentOption>;

/** distance of two columns: as wide as the page allows, between a node's width and a comfortable gap */
const COLUMN = { min: 132, max: 200 };
const ROW = 56;
/** room around the nodes (half a node's width and height, and some) */
const PAD_X = 72;
const PAD_Y = 40;
/** invisible corner nodes: they fix the drawn box so that one layout unit is one pixel in x and in y
 * (ECharts fits the nodes' bounding box to the series box; unequal x and y scales stretch the symbols) */
const ANCHOR = '__anchor';

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
  const columns = Math.max(1, ...[...placed.values()].map((p) => p.column + 1));
  const [width, setWidth] = useState(0);
  const column =
    columns > 1 && width > 0
      ? Math.min(COLUMN.max, Math.max(COLUMN.min, Math.floor((width - 2 * PAD_X - 2) / (columns - 1))))
      : COLUMN.max;
  const spanX = (columns - 1) * column + 2;
  const spanY = (rows - 1) * ROW + 2;
  const height = spanY + 2 * PAD_Y;
  const minWidth = (columns - 1) * COLUMN.min + 2 + 2 * PAD_X;

  useEffect(() => {
    if (!element.current) return;
    const instance = init(element.current);
    chart.current = instance;
    instance.on('click', (params) => {
      const data = params.data as { id?: string } | undefined;
      if (params.dataType === 'node' && data?.id && !data.id.startsWith(ANCHOR)) select.current(data.id);
    });
    const el = element.current;
    const observer = new ResizeObserver(() => {
      setWidth(el.clientWidth);
      instance.resize();
    });
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
    // drawn once the element's width is known: the columns' spacing depends on it, and positions
    // published for a provisional spacing would send a click (a test's, say) to empty space
    if (!instance || !el || width === 0) return;
    const nodes = chain.nodes.map((n) => {
      const at = placed.get(n.code) ?? { column: 0, row: 0 };
      const missing = n.status === 'missing';
      const weak = n.status === 'weak';
      const isSelected = n.code === selected;
      return {
        id: n.code,
        name: n.name,
        x: at.column * column,
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
            `<b>${escapeHtml(n.name)}</b><br/>${t(`chains.stage.${n.stage}`)} · ${t(`chains.status.${n.status}`)}<br/>` +
            `${t('chains.fields.firms')}: ${n.firms}<br/>${t('chains.fields.output')}: ${formatMoney(n.output, t)}`,
        },
      };
    });
    const anchor = (id: string, x: number, y: number) => ({
      id: `${ANCHOR}${id}`,
      name: '',
      x,
      y,
      symbolSize: 0,
      itemStyle: { opacity: 0 },
      label: { show: false },
      tooltip: { show: false },
    });
    const option: Option = {
      tooltip: { trigger: 'item' },
      series: [
        {
          type: 'graph',
          layout: 'none',
          roam: true,
          // the box is exactly the nodes' span: 1 px per layout unit, centred when there is room
          left: Math.max(PAD_X, (width - spanX) / 2),
          top: PAD_Y,
          width: spanX,
          height: spanY,
          data: [
            ...nodes,
            anchor('tl', -1, -1),
            anchor('br', (columns - 1) * column + 1, (rows - 1) * ROW + 1),
          ],
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
  }, [chain, selected, t, placed, width, column, columns, rows, spanX, spanY]);

  // wider than the page: the map scrolls sideways rather than squeezing its nodes
  return (
    <div style={{ overflowX: 'auto' }}>
      <div ref={element} style={{ width: '100%', minWidth, height }} data-testid="chain-graph" />
    </div>
  );
}
