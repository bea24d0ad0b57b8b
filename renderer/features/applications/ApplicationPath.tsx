import { useMemo, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { processGraph } from '@shared/catalogue';
import type { UiLanguage } from '@shared/ipc/contract';
import { applicationPath, type ApplicationState } from '@shared/workflow';
import { ProcessDiagram } from '../../components/diagram/ProcessDiagram';

/**
 * The application's own path on its variant's process diagram (the one the catalogue shows): the
 * steps done with the working time each took against its norm, where it is now, what was or is
 * late — all from the fold's history, for the channel it came through.
 */
export function ApplicationPath({
  state,
  language,
}: {
  state: ApplicationState;
  language: UiLanguage;
}): JSX.Element | null {
  const { t } = useTranslation();
  const variant = state.variant;
  const channel = state.registered?.payload.channel ?? null;
  const graph = useMemo(() => (variant ? processGraph(variant, channel) : null), [variant, channel]);
  const path = useMemo(() => applicationPath(state), [state]);
  if (!graph || !variant) return null;
  return (
    <section className="card" data-testid="application-path">
      <h2>{t('catalogue:diagram.cardTitle')}</h2>
      <p className="diagram-legend">
        <span className="done">{t('catalogue:diagram.legend.done')}</span>
        <span className="late">{t('catalogue:diagram.legend.late')}</span>
        <span className="current">{t('catalogue:diagram.legend.current')}</span>
        <span className="pending">{t('catalogue:diagram.legend.pending')}</span>
      </p>
      <ProcessDiagram graph={graph} language={language} path={path} title={variant.label[language]} />
    </section>
  );
}
