// What both bundles hand to app.js: the Indonesian locale (ECharts ships none; English is
// built in) and only the functions app.js calls — exposing the whole namespace would defeat
// tree-shaking.
import { init, registerMap, getMap, registerLocale } from 'echarts/core';
import langID from './lang-id.js';

export function expose() {
  registerLocale('ID', langID);
  window.echarts = { init, registerMap, getMap };
}
