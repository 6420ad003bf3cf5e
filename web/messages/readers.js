// Messages of the charts' screen-reader side (web/app/readers.js and its parts):
// the live summary, the data table, the keyboard tooltips.
export default {
  en: {
    'readers.table': 'Data table',
    'readers.tableOf': 'Data of: {name}',
    'readers.firstRows': 'First {n} of {m} rows (the CSV export has them all).',
    'readers.firstCols': 'First {n} of {m} columns (the CSV export has them all).',
    'readers.notDrawn': 'Not drawn yet.',
    'readers.chart': 'chart',
    'readers.keys': 'Arrow keys: Left and Right move along a line, Up and Down change line, Home and End go to its ends, Escape hides the value.',
    'readers.point': '{series}: {x} = {xv}, {y} = {yv}. Point {i} of {n}.',
    'readers.gap': 'no value (off the axis: {v})',
    'readers.noPoints': 'This chart has no point to show.',
    'readers.cleared': 'Value hidden.',
  },
  zh: {
    'readers.table': '数据表',
    'readers.tableOf': '数据：{name}',
    'readers.firstRows': '显示前 {n} 行，共 {m} 行（导出的 CSV 包含全部）。',
    'readers.firstCols': '显示前 {n} 列，共 {m} 列（导出的 CSV 包含全部）。',
    'readers.notDrawn': '尚未绘制。',
    'readers.chart': '图表',
    'readers.keys': '方向键：左右键沿曲线移动，上下键切换曲线，Home 和 End 跳到两端，Esc 隐藏数值。',
    'readers.point': '{series}：{x} = {xv}，{y} = {yv}。第 {i} 个点，共 {n} 个。',
    'readers.gap': '无法显示（超出坐标轴：{v}）',
    'readers.noPoints': '这张图没有可显示的点。',
    'readers.cleared': '已隐藏数值。',
  },
};
