import { useId } from 'react';

export interface Bar {
  label: string;
  value: number;
}

/** A small bar chart in inline SVG, with a title and a summary for screen readers. */
export function BarChart(props: { title: string; unit: string; bars: Bar[]; tone?: 'error' }) {
  const id = useId();
  const width = 480;
  const height = 200;
  const pad = { left: 48, bottom: 12, top: 14 };
  const highest = Math.max(0, ...props.bars.map((b) => b.value));
  // The scale's top: the highest bar, at least 1 so that an all-zero chart still has an axis.
  const max = Math.max(1, highest);
  const slot = (width - pad.left) / Math.max(8, props.bars.length);
  const plot = height - pad.bottom - pad.top;
  const total = props.bars.reduce((s, b) => s + b.value, 0);
  const summary =
    props.bars.length === 0
      ? 'No cycles yet.'
      : `${props.bars.length} cycles, from ${props.bars[0]?.label} to ${props.bars.at(-1)?.label}; highest ${Math.round(highest * 10) / 10} ${props.unit}, total ${Math.round(total * 10) / 10}.`;
  return (
    <figure className="chart">
      <h2 className="chart-title">{props.title}</h2>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby={`${id}-t ${id}-d`}
        preserveAspectRatio="xMinYMin meet"
      >
        <title id={`${id}-t`}>{props.title}</title>
        <desc id={`${id}-d`}>{summary}</desc>
        <line x1={pad.left} y1={pad.top} x2={pad.left} y2={height - pad.bottom} className="axis" />
        <line x1={pad.left} y1={height - pad.bottom} x2={width} y2={height - pad.bottom} className="axis" />
        <text x={pad.left - 6} y={pad.top + 8} textAnchor="end" className="tick">
          {Math.round(max * 10) / 10}
        </text>
        <text x={pad.left - 6} y={height - pad.bottom} textAnchor="end" className="tick">
          0
        </text>
        {props.bars.map((b, i) => {
          const h = (b.value / max) * plot;
          return (
            <rect
              key={`${b.label}-${i.toString()}`}
              x={pad.left + i * slot + slot * 0.15}
              y={height - pad.bottom - h}
              width={Math.max(1, slot * 0.7)}
              height={h}
              className={props.tone === 'error' ? 'bar bar-error' : 'bar'}
            >
              <title>{`${b.label}: ${b.value} ${props.unit}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption>
        In {props.unit}. {summary}
      </figcaption>
    </figure>
  );
}
