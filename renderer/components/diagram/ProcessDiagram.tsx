import { useMemo, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import type { EdgeKind, ProcessGraph } from '@shared/catalogue';
import type { UiLanguage } from '@shared/ipc/contract';
import type { ApplicationPath, NodeProgress } from '@shared/workflow';
import { durationLabel, extensionEffects, normLabel, normShort, postLabel, wrapText } from './labels';
import { HEADER_H, layoutProcess, paginate, ROW_H, type LaidEdge, type LaidNode, type ProcessLayout } from './layout';

/**
 * A variant's process as SVG: lanes (the regulation's posts) as columns, steps as boxes with their
 * number, kind, action and norm, the start and the ends as pills, the branches labelled. Given an
 * application's path (shared/workflow path.ts), the boxes say what was done and when against the
 * norm, where it is now and what was late, and the edges taken are drawn bold.
 *
 * `paged` cuts it for A4 landscape: one SVG per page, lanes repeated, rows never split.
 */
export function ProcessDiagram({
  graph,
  language,
  path,
  paged,
  title,
}: {
  graph: ProcessGraph;
  language: UiLanguage;
  path?: ApplicationPath;
  paged?: boolean;
  title?: string;
}): JSX.Element {
  const { t } = useTranslation();
  const layout = useMemo(() => layoutProcess(graph), [graph]);
  const deadline = graph.deadline
    ? t('catalogue:diagram.deadline', { norm: normLabel(graph.deadline, t) })
    : t('catalogue:diagram.noDeadline');
  // Longer terms the regulation allows mid-case (grounds with the same effect said once).
  const effects = [...new Set(graph.extensions.flatMap((x) => extensionEffects(x, graph.steps, t)))];
  const extensions = effects.length > 0 ? t('catalogue:diagram.extensions', { effects: effects.join('; ') }) : null;
  if (!paged)
    return (
      <figure className="process-diagram" data-testid="process-diagram">
        <figcaption className="process-caption">
          {title && <strong>{title} · </strong>}
          <span data-testid="diagram-deadline">{deadline}</span>
          {extensions && <span data-testid="diagram-extensions"> · {extensions}</span>}
        </figcaption>
        <div className="process-scroll">
          <Svg layout={layout} language={language} path={path} from={0} rows={layout.rows} />
        </div>
      </figure>
    );
  // A4 landscape less 10 mm margins, and a line for the caption (1 mm = 96/25.4 px).
  const mm = 96 / 25.4;
  const { pages } = paginate(layout, 277 * mm, 190 * mm - 36);
  return (
    <div className="process-print" data-testid="process-print">
      {pages.map((p, i) => (
        <section key={p.firstRow} className="process-print-page">
          <header className="process-print-caption">
            {title && <div className="process-print-title">{title}</div>}
            <div className="process-print-line">
              <span>
                {deadline}
                {extensions && ` · ${extensions}`}
              </span>
              <span>{t('catalogue:diagram.page', { page: i + 1, pages: pages.length })}</span>
            </div>
          </header>
          <Svg layout={layout} language={language} path={path} from={p.firstRow} rows={p.rows} fit />
        </section>
      ))}
    </div>
  );
}

const EDGE_LABEL: Partial<Record<EdgeKind, string>> = {
  next: 'catalogue:diagram.edge.next',
  approved: 'catalogue:diagram.edge.approved',
  refused: 'catalogue:diagram.edge.refused',
  skipped: 'catalogue:diagram.edge.skipped',
  received: 'catalogue:diagram.edge.received',
  expired: 'catalogue:diagram.edge.expired',
  recommended: 'catalogue:diagram.edge.recommended',
  returned: 'catalogue:diagram.edge.returned',
  refused_intake: 'catalogue:diagram.edge.refused_intake',
};

/** The rows [from, from + rows) of the layout, with the lane headers on top. */
function Svg({
  layout,
  language,
  path,
  from,
  rows,
  fit,
}: {
  layout: ProcessLayout;
  language: UiLanguage;
  path: ApplicationPath | undefined;
  from: number;
  rows: number;
  fit?: boolean;
}): JSX.Element {
  const { t } = useTranslation();
  const top = HEADER_H + from * ROW_H;
  const height = HEADER_H + rows * ROW_H;
  const taken = new Set(path?.edges ?? []);
  // The plain "next" is said only beside another way along the same edge ("done / refused").
  const edgeLabel = (e: LaidEdge): string =>
    e.kinds
      .filter((k) => k !== 'next' || e.kinds.length > 1)
      .map((k) => EDGE_LABEL[k])
      .filter((k): k is string => k !== undefined)
      .map((k) => t(k))
      .join(' / ');
  return (
    <svg
      className="process-svg"
      viewBox={`0 ${top - HEADER_H} ${layout.width} ${height}`}
      width={fit ? '100%' : layout.width}
      height={fit ? undefined : height}
      role="img"
      lang={language}
      preserveAspectRatio="xMidYMin meet"
    >
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
          <path d="M0,0 L10,5 L0,10 z" className="process-arrow" />
        </marker>
        <marker id="arrow-taken" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
          <path d="M0,0 L10,5 L0,10 z" className="process-arrow taken" />
        </marker>
      </defs>
      {layout.lanes.map((lane, i) => (
        <rect
          key={lane.id}
          x={lane.x}
          y={top - HEADER_H}
          width={lane.width}
          height={height}
          className={`process-lane ${i % 2 === 0 ? 'lane-even' : 'lane-odd'}`}
        />
      ))}
      {layout.edges.map((e) => {
        const isTaken = taken.has(e.id);
        const d = e.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`).join(' ');
        const label = edgeLabel(e);
        const negative = e.kinds.some((k) => k === 'refused' || k === 'refused_intake' || k === 'expired');
        return (
          <g
            key={e.id}
            className={`process-edge${isTaken ? ' taken' : ''}${negative ? ' negative' : ''}${e.back ? ' back' : ''}`}
          >
            <path d={d} markerEnd={`url(#${isTaken ? 'arrow-taken' : 'arrow'})`} />
            {label && (
              <text x={e.label.x} y={e.label.y} className="edge-label" textAnchor={e.back ? 'start' : 'middle'}>
                {label}
              </text>
            )}
          </g>
        );
      })}
      {layout.nodes
        .filter((n) => n.row >= from && n.row < from + rows)
        .map((n) => (
          <Node key={n.id} n={n} language={language} progress={path?.nodes.get(n.id)} dimmed={path !== undefined} />
        ))}
      {/* The lane headers last, over whatever an edge from an earlier page would draw there. */}
      {layout.lanes.map((lane, i) => (
        <g key={lane.id} className="process-lane-head" data-lane={lane.id}>
          <rect
            x={lane.x}
            y={top - HEADER_H}
            width={lane.width}
            height={HEADER_H - 4}
            className={i % 2 === 0 ? 'lane-even' : 'lane-odd'}
          />
          <text x={lane.x + lane.width / 2} y={top - HEADER_H + 18} className="lane-title" textAnchor="middle">
            {wrapText(postLabel(lane.id, t), Math.floor(lane.width / 7), 2).map((line, j) => (
              <tspan key={j} x={lane.x + lane.width / 2} dy={j === 0 ? 0 : 13}>
                {line}
              </tspan>
            ))}
          </text>
        </g>
      ))}
    </svg>
  );
}

function Node({
  n,
  language,
  progress,
  dimmed,
}: {
  n: LaidNode;
  language: UiLanguage;
  progress: NodeProgress | undefined;
  dimmed: boolean;
}): JSX.Element {
  const { t } = useTranslation();
  const status = progress?.status ?? (dimmed ? 'pending' : 'plain');
  const cx = n.x + n.width / 2;
  if (n.node.kind !== 'step') {
    const label =
      n.node.kind === 'start' ? t('catalogue:diagram.start') : t(`catalogue:diagram.end.${n.node.end ?? 'closed'}`);
    return (
      <g className={`process-node ${n.node.kind} ${n.node.end ?? ''} status-${status}`} data-node={n.id}>
        <rect x={n.x} y={n.y + 8} width={n.width} height={n.height - 16} rx={(n.height - 16) / 2} />
        {wrapText(label, 24, 2).map((line, j, all) => (
          <text key={j} x={cx} y={n.y + n.height / 2 + 4 + (j - (all.length - 1) / 2) * 12} textAnchor="middle">
            {line}
          </text>
        ))}
      </g>
    );
  }
  const step = n.node.step!;
  const lines = wrapText(step.action[language], 23, 2);
  const state =
    progress === undefined
      ? null
      : progress.status === 'current'
        ? t('catalogue:diagram.node.current')
        : progress.status === 'overdue'
          ? t('catalogue:diagram.node.overdue')
          : progress.status === 'skipped'
            ? t('catalogue:diagram.node.skipped')
            : progress.status === 'late'
              ? t('catalogue:diagram.node.late', { duration: durationLabel(progress.workingMinutes, t) })
              : progress.status === 'done'
                ? t('catalogue:diagram.node.done', { duration: durationLabel(progress.workingMinutes, t) })
                : null;
  return (
    <g className={`process-node step status-${status}`} data-node={n.id} data-status={status}>
      <title>{`${step.n}. ${step.action[language]}`}</title>
      <rect x={n.x} y={n.y} width={n.width} height={n.height} rx={4} />
      <text x={n.x + 6} y={n.y + 13} className="node-head">
        {`${step.n}. ${t(`catalogue:stepKinds.${step.kind}`)}`}
        {step.condition ? ' ?' : ''}
      </text>
      {lines.map((line, j) => (
        <text key={j} x={n.x + 6} y={n.y + 26 + j * 11} className="node-text">
          {line}
        </text>
      ))}
      <text x={n.x + 6} y={n.y + n.height - 6} className={`node-norm${state ? ' node-state' : ''}`}>
        {state ?? (step.norm ? normShort(step.norm, t) : '')}
      </text>
    </g>
  );
}
