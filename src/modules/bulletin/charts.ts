// Charts of the bulletin drawn on the server with ECharts' SVG renderer (server-side rendering, no
// browser needed): vectors, so the printed PDF is crisp at any zoom and its labels stay text.
import * as echarts from 'echarts';
import type { ChartView } from '../../domain/bulletin/index.ts';

// "Bulletin Sans" is the print's subset of Noto Sans CJK SC (fonts.ts); the preview falls through to the system's
export const FONT_FAMILY = '"Bulletin Sans", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif';

/** One chart as an SVG document string (labels escaped by ECharts' SVG writer). */
export function chartSvg(chart: ChartView, width = 680, height = 300): string {
  const c = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    c.setOption({
      animation: false,
      textStyle: { fontFamily: FONT_FAMILY },
      legend: chart.series.length > 1 ? { top: 0, textStyle: { fontSize: 11 } } : undefined,
      grid: { left: 56, right: 16, top: chart.series.length > 1 ? 48 : 24, bottom: 40 },
      xAxis: {
        type: 'category',
        data: chart.categories,
        axisLabel: { fontSize: 10, interval: chart.type === 'bar' ? 0 : 'auto' },
      },
      yAxis: {
        type: 'value',
        name: chart.unit,
        nameTextStyle: { fontSize: 10 },
        axisLabel: { fontSize: 10 },
      },
      series: chart.series.map((s) => ({
        type: chart.type,
        name: s.name,
        data: s.values,
        showSymbol: false,
        connectNulls: false,
        label:
          chart.type === 'bar' ? { show: true, position: 'top', fontSize: 10, formatter: '{c}' } : undefined,
      })),
    });
    return c.renderToSVGString();
  } finally {
    c.dispose();
  }
}
