// The dashboard's traffic chart: stacked bars per hour, drawn as inline SVG (no library,
// works offline).

const SVG = 'http://www.w3.org/2000/svg';

function s(tag, attributes = {}, text) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, value);
  }
  if (text !== undefined) {
    element.textContent = text;
  }
  return element;
}

/** What the bars show: each series adds up some of the API's counts. */
export const SERIES = [
  { name: 'delivered', label: 'Delivered (stored or relayed)', counts: ['stored', 'relayed'] },
  { name: 'queued', label: 'Queued for relay', counts: ['queued'] },
  { name: 'failed', label: 'Refused or failed', counts: ['rejected', 'failed'] },
];

export function seriesValue(hour, series) {
  return series.counts.reduce((sum, count) => sum + (hour[count] || 0), 0);
}

/** An SVG of hours (oldest first, as GET /api/stats gives them). */
export function trafficChart(hours) {
  const width = 960;
  const height = 240;
  const left = 40;
  const bottom = 28;
  const top = 10;
  const plotHeight = height - bottom - top;
  const totals = hours.map((hour) => SERIES.reduce((sum, series) => sum + seriesValue(hour, series), 0));
  const max = Math.max(1, ...totals);
  const scale = niceMax(max);
  const slot = (width - left - 8) / hours.length;
  const total = totals.reduce((a, b) => a + b, 0);

  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'chart', 'aria-labelledby': 'chart-title' });
  svg.append(s('title', { id: 'chart-title' },
    `Messages per hour over the last 24 hours: ${total} in all, at most ${max} in one hour`));

  for (let i = 0; i <= 4; i++) {
    const value = (scale * i) / 4;
    const y = top + plotHeight - (plotHeight * value) / scale;
    svg.append(s('line', { x1: left, x2: width - 8, y1: y, y2: y, class: 'grid' }));
    svg.append(s('text', { x: left - 6, y: y + 4, class: 'axis', 'text-anchor': 'end' }, formatCount(value)));
  }
  hours.forEach((hour, index) => {
    const x = left + index * slot + slot * 0.15;
    let y = top + plotHeight;
    for (const series of SERIES) {
      const value = seriesValue(hour, series);
      if (value > 0) {
        const barHeight = (plotHeight * value) / scale;
        y -= barHeight;
        const bar = s('rect', { x, y, width: slot * 0.7, height: barHeight, class: `bar ${series.name}` });
        bar.append(s('title', {}, `${hourLabel(hour.start)}: ${value} ${series.label.toLowerCase()}`));
        svg.append(bar);
      }
    }
    if (index % 3 === 0 || index === hours.length - 1) {
      svg.append(s('text', { x: x + slot * 0.35, y: height - 8, class: 'axis', 'text-anchor': 'middle' },
        index === hours.length - 1 ? 'now' : hourLabel(hour.start)));
    }
  });
  svg.append(s('line', { x1: left, x2: width - 8, y1: top + plotHeight, y2: top + plotHeight, class: 'baseline' }));
  return svg;
}

function niceMax(max) {
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 4, 5, 10]) {
    if (step * magnitude >= max) {
      return Math.max(4, step * magnitude);
    }
  }
  return 10 * magnitude;
}

function formatCount(value) {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

export function hourLabel(iso) {
  return new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}
