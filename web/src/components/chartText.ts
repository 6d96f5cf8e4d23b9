// What an ECharts chart drew as text, for browser tests of overlapping labels.
import type { ECharts } from 'echarts/core';

type TextElement = {
  type?: string;
  ignore?: boolean;
  invisible?: boolean;
  style?: { text?: unknown };
  getBoundingRect(): {
    clone(): { x: number; y: number; width: number; height: number; applyTransform(m: unknown): void };
  };
  transform?: unknown;
};

/**
 * Publishes every text the chart drew (labels, legend, axis labels) with its box in the element's pixels as
 * `data-text-boxes` ([text, x, y, width, height]), so browser tests can check that labels neither overlap
 * nor fall outside the chart.
 */
export function publishTextBoxes(instance: ECharts, el: HTMLDivElement) {
  const zr = instance.getZr() as unknown as { storage?: { getDisplayList(): TextElement[] } };
  const list = zr.storage?.getDisplayList() ?? [];
  const boxes: [string, number, number, number, number][] = [];
  for (const d of list) {
    // A ZRText draws its lines as tspan children: those are what the display list holds.
    if (
      (d.type !== 'tspan' && d.type !== 'text') ||
      d.ignore ||
      d.invisible ||
      d.style?.text == null ||
      d.style.text === ''
    )
      continue;
    const r = d.getBoundingRect().clone();
    if (d.transform) r.applyTransform(d.transform);
    boxes.push([
      String(d.style.text),
      Math.round(r.x),
      Math.round(r.y),
      Math.round(r.width),
      Math.round(r.height),
    ]);
  }
  el.dataset.textBoxes = JSON.stringify(boxes);
}
