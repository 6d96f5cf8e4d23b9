// 工业总产值 of the last 13 months as a small line chart. Only the ECharts parts used here are
// imported (echarts/core + line + grid + tooltip + canvas), which keeps the chart chunk small.
import { useEffect, useRef } from 'react';
import { LineChart, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  TooltipComponent,
  type GridComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { init, use as registerModules, type ComposeOption, type ECharts } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useTranslation } from 'react-i18next';
import { chartMoneyUnit, formatMonth, formatNumber } from '../../format.ts';

// Renamed: eslint would take echarts' `use` for the React 19 hook of the same name.
registerModules([LineChart, GridComponent, TooltipComponent, CanvasRenderer]);

type Option = ComposeOption<LineSeriesOption | GridComponentOption | TooltipComponentOption>;

export interface OutputPoint {
  month: string;
  /** 万元 */
  outputValue: number | null;
}

export function OutputChart({ points }: { points: readonly OutputPoint[] }) {
  const { t } = useTranslation();
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);

  // Created once per mount and disposed on unmount, so no canvas or listener outlives the page.
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

  const money = chartMoneyUnit(points.map((p) => p.outputValue));
  useEffect(() => {
    const unit = t(`units.${money.key}`);
    const option: Option = {
      grid: { left: 64, right: 16, top: 24, bottom: 32 },
      tooltip: {
        trigger: 'axis',
        valueFormatter: (value) => (typeof value === 'number' ? `${formatNumber(value)} ${unit}` : '—'),
      },
      xAxis: { type: 'category', data: points.map((p) => formatMonth(p.month)) },
      yAxis: { type: 'value', name: unit, nameTextStyle: { align: 'right' } },
      series: [
        {
          type: 'line',
          name: t('profile.outputValue'),
          data: points.map((p) => (p.outputValue == null ? null : p.outputValue / money.scale)),
          smooth: true,
          connectNulls: false,
          areaStyle: { opacity: 0.08 },
        },
      ],
    };
    chart.current?.setOption(option, true);
  }, [points, t, money.key, money.scale]);

  return (
    <div
      ref={element}
      style={{ width: '100%', height: 260 }}
      data-testid="output-chart"
      data-unit={t(`units.${money.key}`)}
    />
  );
}
