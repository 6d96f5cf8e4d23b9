// An ECharts chart for the index pages (line, radar, heatmap, bar/scatter for rank bands).
import { useEffect, useRef } from 'react';
import { BarChart, HeatmapChart, LineChart, RadarChart, ScatterChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  RadarComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { init, use as registerModules, type ECharts, type EChartsCoreOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

registerModules([
  BarChart,
  HeatmapChart,
  LineChart,
  RadarChart,
  ScatterChart,
  GridComponent,
  LegendComponent,
  RadarComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export function Chart({
  option,
  height = 320,
  testId,
  onClick,
}: {
  option: EChartsCoreOption;
  height?: number;
  testId?: string;
  onClick?: (params: { name?: string; data?: unknown; seriesName?: string; value?: unknown }) => void;
}) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const clickRef = useRef(onClick);
  useEffect(() => {
    clickRef.current = onClick;
  });
  useEffect(() => {
    if (!element.current) return;
    const c = init(element.current);
    chart.current = c;
    c.on('click', (p) => clickRef.current?.(p as never));
    const resize = new ResizeObserver(() => c.resize());
    resize.observe(element.current);
    return () => {
      resize.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    // no animation: the figure is the data, and a half-drawn chart misleads a screenshot or a test
    chart.current?.setOption({ animation: false, ...(option as object) }, true);
  }, [option]);
  return <div ref={element} style={{ width: '100%', height }} data-testid={testId} />;
}
