import type { JSX } from 'react';
import { AxisBottom, AxisLeft } from '@visx/axis';
import { Group } from '@visx/group';
import { scaleBand, scaleLinear } from '@visx/scale';
import { Bar, LinePath } from '@visx/shape';

/**
 * The reports' charts, drawn with visx as SVG: a few hundred points at most (the figures are
 * aggregated before they get here), so speed is no concern, while SVG stays sharp on an A4 print
 * and its text is real text. Each chart has a fixed coordinate system (viewBox) and takes the
 * width it is given, so the same chart fits a 1366×768 screen and the printed page.
 */

const WIDTH = 900;
const FONT = 12;
export const COLORS = { ok: '#2e7d32', bad: '#c62828', none: '#9aa5b1', accent: '#0b6e99', line: '#b26a00' } as const;

export interface StackedItem {
  label: string;
  /** Shown in the bar's tooltip. */
  title?: string;
  values: number[];
}

/** A long name shortened in the middle: names of one family differ at their ends (the region, the variant). */
const clip = (s: string, n: number): string =>
  s.length > n ? `${s.slice(0, n - 18).trimEnd()}…${s.slice(-17).trimStart()}` : s;

/** Tick values for counts: whole numbers only. */
function countTicks(max: number, n = 5): number[] | undefined {
  if (max > n * 2) return undefined;
  return Array.from({ length: Math.floor(max) + 1 }, (_, i) => i);
}

/** Horizontal stacked bars, one per item (deadlines met / late / no deadline by service or office). */
export function StackedBars({
  items,
  series,
  format,
  testId,
}: {
  items: StackedItem[];
  series: { name: string; color: string }[];
  format: (n: number) => string;
  testId?: string;
}): JSX.Element {
  // Room for the longest label, at most 380 (long names are shortened in the middle).
  const label = Math.min(380, Math.max(70, 16 + 7 * Math.max(...items.map((i) => Math.min(50, i.label.length)))));
  const row = 22;
  const top = 24;
  const bottom = 26;
  const height = top + bottom + Math.max(1, items.length) * row;
  const max = Math.max(1, ...items.map((i) => i.values.reduce((a, b) => a + b, 0)));
  const x = scaleLinear<number>({ domain: [0, max], range: [0, WIDTH - label - 56], nice: true });
  const y = scaleBand<string>({
    domain: items.map((_, i) => String(i)),
    range: [0, items.length * row],
    padding: 0.25,
  });
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${WIDTH} ${height}`}
      role="img"
      aria-label={series.map((s) => s.name).join(', ')}
      data-testid={testId}
    >
      <Group left={8} top={4}>
        {series.map((s, k) => (
          <g key={s.name} transform={`translate(${k * 180}, 0)`}>
            <rect width={12} height={12} fill={s.color} />
            <text x={18} y={10} fontSize={FONT}>
              {s.name}
            </text>
          </g>
        ))}
      </Group>
      <Group left={label} top={top}>
        {items.map((item, i) => {
          let at = 0;
          const yy = y(String(i)) ?? 0;
          const total = item.values.reduce((a, b) => a + b, 0);
          return (
            <g key={i}>
              <text x={-8} y={yy + y.bandwidth() / 2} dy="0.35em" textAnchor="end" fontSize={FONT}>
                <title>{item.title ?? item.label}</title>
                {clip(item.label, 50)}
              </text>
              {item.values.map((v, k) => {
                const w = x(v);
                const bar = (
                  <Bar key={k} x={x(at)} y={yy} width={w} height={y.bandwidth()} fill={series[k]?.color ?? COLORS.none}>
                    <title>{`${series[k]?.name ?? ''}: ${format(v)}`}</title>
                  </Bar>
                );
                at += v;
                return bar;
              })}
              <text x={x(total) + 6} y={yy + y.bandwidth() / 2} dy="0.35em" fontSize={FONT} fill="#5b6675">
                {format(total)}
              </text>
            </g>
          );
        })}
        <AxisBottom
          top={items.length * row}
          scale={x}
          numTicks={5}
          {...(countTicks(max) ? { tickValues: countTicks(max) } : {})}
          tickFormat={(v) => format(Number(v))}
          tickLabelProps={{ fontSize: FONT - 1, textAnchor: 'middle', fontFamily: 'inherit' }}
        />
      </Group>
    </svg>
  );
}

export interface TrendPoint {
  label: string;
  bars: number;
  line: number;
}

/** A trend over the period: bars (registered) and a line (results handed over), per day, week or month. */
export function TrendChart({
  points,
  names,
  format,
  testId,
}: {
  points: TrendPoint[];
  names: { bars: string; line: string };
  format: (n: number) => string;
  testId?: string;
}): JSX.Element {
  const height = 260;
  const margin = { left: 48, right: 12, top: 28, bottom: 44 };
  const innerW = WIDTH - margin.left - margin.right;
  const innerH = height - margin.top - margin.bottom;
  const max = Math.max(1, ...points.flatMap((p) => [p.bars, p.line]));
  const x = scaleBand<string>({ domain: points.map((_, i) => String(i)), range: [0, innerW], padding: 0.2 });
  const y = scaleLinear<number>({ domain: [0, max], range: [innerH, 0], nice: true });
  // At most about 12 labels under the axis, whatever the number of points.
  const every = Math.max(1, Math.ceil(points.length / 12));
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${WIDTH} ${height}`}
      role="img"
      aria-label={`${names.bars}, ${names.line}`}
      data-testid={testId}
    >
      <Group left={margin.left} top={6}>
        <rect width={12} height={12} fill={COLORS.accent} />
        <text x={18} y={10} fontSize={FONT}>
          {names.bars}
        </text>
        <line x1={200} x2={216} y1={6} y2={6} stroke={COLORS.line} strokeWidth={2.5} />
        <text x={222} y={10} fontSize={FONT}>
          {names.line}
        </text>
      </Group>
      <Group left={margin.left} top={margin.top}>
        {points.map((p, i) => (
          <Bar
            key={i}
            x={x(String(i)) ?? 0}
            y={y(p.bars)}
            width={x.bandwidth()}
            height={innerH - y(p.bars)}
            fill={COLORS.accent}
            opacity={0.85}
          >
            <title>{`${p.label}: ${names.bars} ${format(p.bars)}, ${names.line} ${format(p.line)}`}</title>
          </Bar>
        ))}
        <LinePath
          data={points}
          x={(_, i) => (x(String(i)) ?? 0) + x.bandwidth() / 2}
          y={(p) => y(p.line)}
          stroke={COLORS.line}
          strokeWidth={2.5}
        />
        <AxisLeft
          scale={y}
          numTicks={5}
          {...(countTicks(max) ? { tickValues: countTicks(max) } : {})}
          tickFormat={(v) => format(Number(v))}
          tickLabelProps={{ fontSize: FONT - 1, textAnchor: 'end', dx: -4, dy: '0.33em', fontFamily: 'inherit' }}
        />
        <AxisBottom
          top={innerH}
          scale={x}
          tickValues={points.map((_, i) => String(i)).filter((_, i) => i % every === 0)}
          tickFormat={(v) => points[Number(v)]?.label ?? ''}
          tickLabelProps={{ fontSize: FONT - 1, textAnchor: 'end', angle: -35, dy: '0.2em', fontFamily: 'inherit' }}
        />
      </Group>
    </svg>
  );
}
