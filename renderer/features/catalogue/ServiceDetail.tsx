import { useMemo, useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  channelsWithOwnSteps,
  currentVersion,
  processGraph,
  versionStatus,
  type Channel,
  type ServiceDefinition,
  type Variant,
} from '@shared/catalogue';
import type { UiLanguage } from '@shared/ipc/contract';
import { DiagramPrint } from '../../components/diagram/DiagramPrint';
import { extensionEffects, normLabel, postLabel } from '../../components/diagram/labels';
import { ProcessDiagram } from '../../components/diagram/ProcessDiagram';
import { getBridge } from '../../platform/bridge';
import { usePreferences } from '../../state/preferences';
import { isoDateText } from './dates';

/**
 * One service in full, in the UI language: its versions with their validity, and for the version
 * shown the recipients, channels, fee, documents, results and delivery, then each variant with its
 * deadline, steps (the regulation's post, who records it in Kense, the action, the norm, the
 * branches) and process diagram, and what the reading of the regulation left unclear.
 */
export function ServiceDetail({
  versions,
  version,
  today,
}: {
  versions: ServiceDefinition[];
  version: string | null;
  today: string;
}): JSX.Element {
  const { t } = useTranslation();
  const language = usePreferences((s) => s.language);
  const current = currentVersion(versions, today)?.service ?? versions[0]!;
  const s = versions.find((v) => v.version === version) ?? current;
  const [printing, setPrinting] = useState<{ variant: string; channel: Channel | null } | null>(null);
  const printVariant = s.variants.find((v) => v.id === printing?.variant) ?? s.variants[0]!;
  const printChannel = printing?.channel ?? printVariant.channels[0] ?? null;
  const printGraph = useMemo(() => processGraph(printVariant, printChannel), [printVariant, printChannel]);
  const yesNo = (b: boolean): string => (b ? t('catalogue:detail.yes') : t('catalogue:detail.no'));
  return (
    <section className="card service-detail" data-testid="service-detail" lang={language}>
      <p className="no-print">
        <Link to="/catalogue">{t('catalogue:detail.back')}</Link>
      </p>
      <h2 data-testid="service-name">{s.names[language]}</h2>
      <dl className="facts">
        <dt>{t('catalogue:detail.provider')}</dt>
        <dd data-testid="service-provider">{s.provider[language]}</dd>
        <dt>{t('catalogue:detail.region')}</dt>
        <dd>{t(`catalogue:regions.${s.region}`)}</dd>
        <dt>{t('catalogue:detail.ministry')}</dt>
        <dd>{s.ministry[language]}</dd>
        <dt>{t('catalogue:detail.act')}</dt>
        <dd>
          {s.source.act} ({s.source.ref})
          {s.source.repealedBy && (
            <small className="muted">
              {' · '}
              {t('catalogue:detail.repealedBy')}: {s.source.repealedBy}
            </small>
          )}
        </dd>
        {s.source.standard && (
          <>
            <dt>{t('catalogue:detail.standard')}</dt>
            <dd>{s.source.standard}</dd>
          </>
        )}
      </dl>

      <h3>{t('catalogue:detail.versions')}</h3>
      <table className="catalogue-table" data-testid="versions">
        <thead>
          <tr>
            <th>{t('catalogue:detail.version')}</th>
            <th>{t('catalogue:detail.validFrom')}</th>
            <th>{t('catalogue:detail.validTo')}</th>
            <th>{t('catalogue:detail.status')}</th>
            <th>{t('catalogue:detail.changes')}</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr
              key={v.version}
              className={v.version === s.version ? 'current-version' : undefined}
              data-testid={`version-${v.version}`}
            >
              <td>
                <Link to={`/catalogue/service/${v.id}/${v.version}`}>{v.version}</Link>
                {v.version === s.version && <small className="muted"> · {t('catalogue:detail.shown')}</small>}
              </td>
              <td>{isoDateText(v.validFrom)}</td>
              <td>{v.validTo ? isoDateText(v.validTo) : t('catalogue:detail.open')}</td>
              <td>
                <span className={`status-pill ${versionStatus(v, today)}`}>
                  {t(`catalogue:status.${versionStatus(v, today)}`)}
                </span>
              </td>
              <td>{v.changes?.[language] ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <dl className="facts">
        <dt>{t('catalogue:detail.recipients')}</dt>
        <dd>{s.recipients.map((r) => t(`catalogue:recipients.${r}`)).join(', ')}</dd>
        <dt>{t('catalogue:detail.channels')}</dt>
        <dd>{s.channels.map((c) => t(`reception:channel.${c}`)).join('; ')}</dd>
        <dt>{t('catalogue:detail.fee')}</dt>
        <dd>
          {s.fee.text?.[language] ??
            (s.fee.free === null
              ? t('catalogue:detail.feeUnknown')
              : s.fee.free
                ? t('catalogue:detail.feeFree')
                : t('catalogue:detail.feePaid'))}
        </dd>
        <dt>{t('catalogue:detail.consent')}</dt>
        <dd>{s.consentRequired ? t('catalogue:detail.consentRequired') : t('catalogue:detail.consentNo')}</dd>
        <dt>{t('catalogue:detail.homeVisit')}</dt>
        <dd>{yesNo(s.homeVisit)}</dd>
      </dl>

      <h3>{t('catalogue:detail.documents')}</h3>
      <ol data-testid="documents-checklist">
        {s.documents.items.map((d) => (
          <li key={d.id}>
            {d.name[language]}
            {d.original && <span className="chip">{t('catalogue:detail.original')}</span>}
            {d.optional && <span className="chip">{t('catalogue:detail.optional')}</span>}
          </li>
        ))}
      </ol>
      {s.documents.toBeConfigured && <p className="note">{t('catalogue:detail.documentsToConfigure')}</p>}

      <h3>{t('catalogue:detail.results')}</h3>
      <ul>
        {s.results.map((r, i) => (
          <li key={i}>
            <span className="chip">{t(`catalogue:resultTypes.${r.type}`)}</span> {r.name[language]}
          </li>
        ))}
      </ul>
      <p>
        <strong>{t('catalogue:detail.delivery')}:</strong> {s.delivery.map((d) => t(`card:delivery.${d}`)).join('; ')}
      </p>

      <h3>{t('catalogue:detail.variants')}</h3>
      {s.variants.map((v) => (
        <VariantBlock
          key={v.id}
          variant={v}
          language={language}
          onPrint={(channel) => {
            setPrinting({ variant: v.id, channel });
            // The print container follows the choice on the next frame; then the dialog.
            requestAnimationFrame(() => void getBridge().print({ dialog: true }));
          }}
        />
      ))}

      {s.ambiguities.length > 0 && (
        <details>
          <summary>{t('catalogue:detail.notes')}</summary>
          <ul lang="en">
            {s.ambiguities.map((a, i) => (
              <li key={i}>{a}</li>
            ))}
          </ul>
        </details>
      )}
      <DiagramPrint
        graph={printGraph}
        language={language}
        title={`${s.names[language]} — ${printVariant.label[language]}${printChannel ? ` (${t(`reception:channel.${printChannel}`)})` : ''}`}
      />
    </section>
  );
}

function VariantBlock({
  variant: v,
  language,
  onPrint,
}: {
  variant: Variant;
  language: UiLanguage;
  onPrint: (channel: Channel | null) => void;
}): JSX.Element {
  const { t } = useTranslation();
  const own = channelsWithOwnSteps(v);
  const [channel, setChannel] = useState<Channel | null>(own.length > 0 ? (v.channels[0] ?? null) : null);
  const graph = useMemo(() => processGraph(v, channel), [v, channel]);
  return (
    <div className="variant-block" data-testid={`variant-${v.id}`}>
      <h4>{v.label[language]}</h4>
      <p>
        <strong>{t('catalogue:detail.deadline')}:</strong>{' '}
        <span data-testid={`deadline-${v.id}`}>
          {v.deadline ? normLabel(v.deadline, t) : t('catalogue:detail.noDeadline')}
        </span>
        {v.deadline?.text && <small className="muted"> — «{v.deadline.text}»</small>}
      </p>
      <p>
        {v.channels.map((c) => (
          <span key={c} className="chip">
            {t(`reception:channel.${c}`)}
          </span>
        ))}
        {(v.procedures ?? []).map((p) => (
          <span key={p} className="chip">
            {t(`catalogue:procedures.${p}`)}
          </span>
        ))}
        {(v.applicants ?? []).map((a) => (
          <span key={a} className="chip">
            {t(`catalogue:applicantTypes.${a}`)}
          </span>
        ))}
      </p>
      <table className="catalogue-table" data-testid={`steps-${v.id}`}>
        <thead>
          <tr>
            <th>{t('catalogue:columns.n')}</th>
            <th>{t('catalogue:columns.post')}</th>
            <th>{t('catalogue:columns.actor')}</th>
            <th>{t('catalogue:columns.action')}</th>
            <th>{t('catalogue:columns.norm')}</th>
            <th>{t('catalogue:columns.notes')}</th>
          </tr>
        </thead>
        <tbody>
          {v.steps.map((s) => (
            <tr key={s.id} data-testid={`step-${v.id}-${s.id}`}>
              <td>{s.n}</td>
              <td>{postLabel(s.role, t)}</td>
              <td>{t(`catalogue:actors.${s.actor}`)}</td>
              <td lang={language}>{s.action[language]}</td>
              <td>{s.norm ? normLabel(s.norm, t) : '—'}</td>
              <td>
                {[
                  s.branch ? t(`catalogue:steps.${s.branch}`) : null,
                  s.channel ? t('catalogue:steps.channelOnly', { channel: t(`reception:channel.${s.channel}`) }) : null,
                  s.condition ? t('catalogue:steps.condition', { condition: s.condition[language] }) : null,
                  s.commission ? t(`catalogue:steps.${s.commission.binding}`) : null,
                  s.onExpire ? t(`catalogue:steps.expire_${s.onExpire}`) : null,
                  s.closes ? t('catalogue:steps.closes') : null,
                ]
                  .filter(Boolean)
                  .join('; ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {(v.extensions ?? []).length > 0 && (
        <>
          <h5>{t('catalogue:detail.extensions')}</h5>
          <ul>
            {(v.extensions ?? []).map((x) => (
              <li key={x.id} data-testid={`extension-${v.id}-${x.id}`}>
                {x.ground[language]} · <span>{extensionEffects(x, v.steps, t).join('; ')}</span> ·{' '}
                <small className="muted">
                  {t('catalogue:detail.extensionDuring', {
                    steps: x.during.map((id) => v.steps.find((s) => s.id === id)?.n ?? id).join(', '),
                  })}
                </small>
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="no-print actions">
        {own.length > 0 && (
          <label className="field inline">
            <span>{t('catalogue:diagram.channel')}</span>
            <select
              value={channel ?? ''}
              onChange={(e) => setChannel((e.target.value || null) as Channel | null)}
              data-testid={`diagram-channel-${v.id}`}
            >
              {v.channels.map((c) => (
                <option key={c} value={c}>
                  {t(`reception:channel.${c}`)}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="button" onClick={() => onPrint(channel)} data-testid={`diagram-print-${v.id}`}>
          {t('catalogue:diagram.print')}
        </button>
      </div>
      <ProcessDiagram
        graph={graph}
        language={language}
        title={t('catalogue:diagram.title', { variant: v.label[language] })}
      />
    </div>
  );
}
