// Messages of web/charts.js: the notes a chart writes about what it draws.
export default {
  en: {
    'chart.coincide': '“{a}” and “{b}” draw as one line here: they differ by at most {pct}% at every point, less than the line is wide on this scale. Their dashes or markers tell them apart.',
    'chart.equal': '“{a}” and “{b}” are equal at every point and draw as one line; their dashes or markers tell them apart.',
  },
  zh: {
    'chart.coincide': '“{a}”和“{b}”在这里画成了一条线：它们在每一点上的差别都不超过 {pct}%，在这个刻度下还不到线的宽度。可凭虚线样式或标记点区分它们。',
    'chart.equal': '“{a}”和“{b}”在每一点上都相等，画成了一条线；可凭虚线样式或标记点区分它们。',
  },
};
