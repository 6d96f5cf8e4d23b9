// Strength × feasibility: each node a point (x strength, y relatedness density), with the cut lines of
// the method. Missing nodes sit at x = 0 and are drawn hollow.
import { escapeHtml } from '../../format.ts';
import { useEffect, useRef } from 'react';
import { ScatterChart, type ScatterSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  type LegendComponentOption,
  TooltipComponent,
  type GridComponentOption,
  type MarkLineComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { init, use as registerModules, type ComposeOption, type ECharts } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useTranslation } from 'react-i18next';
import { QUADRANTS, type ChainDetail } from './api.ts';
import { num, QUADRANT_COLOUR } from './labels.ts';

registerModules([
  ScatterChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  MarkLineComponent,
  CanvasRenderer,
]);

type Option = ComposeOption<
  | ScatterSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
  | MarkLineComponentOption
>;

export function QuadrantChart({ chain }: { chain: ChainDetail }) {
  const { t } = useTranslation();
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);

  useEffect(() => {
    if (!element.current) return;
    const instance = init(element.current);
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const option: Option = {
      grid: { left: 56, right: 110, top: 24, bottom: 80 },
      legend: { bottom: 0 },
      tooltip: { trigger: 'item' },
      xAxis: {
        type: 'value',
        min: 0,
        max: 100,
        name: t('chains.quadrantAxes.x'),
        nameLocation: 'middle',
        nameGap: 28,
      },
      yAxis: {
        type: 'value',
        min: 0,
        max: 100,
        name: t('chains.quadrantAxes.y'),
        nameLocation: 'middle',
        nameGap: 36,
      },
      series: QUADRANTS.map((q, i) => ({
        type: 'scatter' as const,
        name: t(`chains.quadrant.${q}`),
        symbolSize: 14,
        itemStyle:
          q === 'absent'
            ? { color: '#fff', borderColor: QUADRANT_COLOUR[q], borderWidth: 2 }
            : { color: QUADRANT_COLOUR[q] },
        label: { show: true, position: 'right' as const, formatter: '{b}', fontSize: 11 },
        // names that would overlap another label are left to the tooltip (issue 14 item 5)
        labelLayout: { hideOverlap: true },
        data: chain.nodes
          .filter((n) => n.quadrant === q)
          .map((n) => ({ name: n.name, value: [n.strength ?? 0, n.density ?? 0] })),
        tooltip: {
          formatter: (p: unknown) => {
            const d = p as { name: string; value: [number, number] };
            return `<b>${escapeHtml(d.name)}</b><br/>${t('chains.fields.strength')}: ${num(d.value[0])}<br/>${t('chains.fields.density')}: ${num(d.value[1])}`;
          },
        },
        ...(i === 0
          ? {
              markLine: {
                silent: true,
                symbol: 'none',
                lineStyle: { type: 'dashed' as const, color: '#bfbfbf' },
                label: { show: false },
                data: [{ xAxis: chain.method.strengthCut }, { yAxis: chain.method.densityCut }],
              },
            }
          : {}),
      })),
    };
    chart.current?.setOption(option, true);
  }, [chain, t]);

  return <div ref={element} style={{ width: '100%', height: 460 }} data-testid="quadrant-chart" />;
}
