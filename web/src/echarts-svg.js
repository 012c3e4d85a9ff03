// Entry of the SVG bundle (dist/echarts-svg.js), loaded only when a reader asks for a chart as
// an SVG file: every chart type the pages draw, with ECharts' SVG renderer and a title, as a
// namespace of its own (window.echartsSVG) so it never touches the canvas bundles' instance.
// It is not part of any page's first load.
import { use, init, registerLocale } from 'echarts/core';
import { BarChart, LineChart, ScatterChart } from 'echarts/charts';
import {
  TitleComponent,
  GraphicComponent,
  VisualMapPiecewiseComponent,
  AriaComponent,
  GridSimpleComponent,
  LegendPlainComponent,
} from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import langID from './lang-id.js';

use([
  BarChart,
  LineChart,
  ScatterChart,
  TitleComponent,
  GraphicComponent,
  VisualMapPiecewiseComponent,
  AriaComponent,
  GridSimpleComponent,
  LegendPlainComponent,
  SVGRenderer,
]);
registerLocale('ID', langID);
window.echartsSVG = { init };
