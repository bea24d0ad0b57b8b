import { useMemo, useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { canonicalJson } from '@shared/audit';
import {
  parseCatalogDoc,
  processGraph,
  serviceDocId,
  type CatalogIssue,
  type CatalogType,
  type ServiceDefinition,
} from '@shared/catalogue';
import { ProcessDiagram } from '../../components/diagram/ProcessDiagram';
import { catalogRevision, CatalogWriteError, publishCatalogDoc, resolveCatalogConflict, useCatalog } from '../../data';
import { usePreferences } from '../../state/preferences';
import { useSession } from '../../state/session';
import { IssueList } from './CalendarView';
import { isoDateText, parseTypedDate } from './dates';
import { issueLines, refusalText, type IssueLine } from './issues';

/** A stable empty list: a selector must not return a new array each time (endless re-render). */
const NONE_REFUSED: { id: string; reason: string }[] = [];

/** A version's content without its dates: what must not change once published. */
const content = (s: ServiceDefinition): string => {
  const { validFrom: _f, validTo: _t, ...rest } = s;
  return canonicalJson(rest);
};

/**
 * The catalogue administrator's desk: a service version or an office profile as JSON (imported
 * from a file or opened from the catalogue), checked against the schema with every problem listed
 * in the UI language, its diagram previewed, published with its validFrom or retired with a
 * validTo; the conflicts two administrators made offline (the winner CouchDB chose everywhere,
 * the losing sides viewable and publishable again); documents the schema refuses.
 */
export function AdminView({ today }: { today: string }): JSX.Element {
  const { t } = useTranslation();
  const user = useSession((s) => s.user);
  if (user?.role !== 'catalog_admin')
    return (
      <section className="card">
        <p className="muted">{t('catalogue:admin.signIn')}</p>
      </section>
    );
  return (
    <div className="admin-view">
      <ServiceEditor today={today} />
      <Conflicts />
      <Invalid />
    </div>
  );
}

function ServiceEditor({ today }: { today: string }): JSX.Element {
  const { t } = useTranslation();
  const language = usePreferences((s) => s.language);
  const catalogue = useCatalog((s) => s.state.catalogue);
  const offices = useCatalog((s) => s.state.offices);
  const db = useCatalog((s) => s.db);
  const refused = useCatalog((s) => s.sync['central']?.refused ?? NONE_REFUSED);
  const user = useSession((s) => s.user);
  const [type, setType] = useState<CatalogType>('service');
  const [text, setText] = useState('');
  const [problems, setProblems] = useState<IssueLine[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [validFrom, setValidFrom] = useState(today.split('-').reverse().join('.'));
  const [validTo, setValidTo] = useState('');
  const [preview, setPreview] = useState<ServiceDefinition | null>(null);
  const versions = useMemo(
    () => [...catalogue.services].sort((a, b) => `${a.id}@${a.version}`.localeCompare(`${b.id}@${b.version}`)),
    [catalogue],
  );

  /** The editor's JSON as the data of a document of `type`, or the problems (JSON syntax included). */
  const read = (): { data: unknown; issues: CatalogIssue[] } | { error: string } => {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      return { error: t('catalogue:admin.notJson', { message: (e as Error).message }) };
    }
    const id =
      type === 'service'
        ? `service:${String((data as { id?: unknown }).id)}:${String((data as { version?: unknown }).version)}`
        : null;
    const probe = parseCatalogDoc({
      _id:
        id ??
        (type === 'office'
          ? `office:${String((data as { code?: unknown }).code)}`
          : `calendar:${String((data as { year?: unknown }).year)}`),
      type,
      data,
      updated: { by: user?.login ?? '?', at: new Date().toISOString() },
    });
    return { data, issues: probe.ok ? [] : probe.issues };
  };
  const check = (): unknown => {
    setMessage(null);
    setPreview(null);
    const r = read();
    if ('error' in r) {
      setProblems([{ where: t('catalogue:issues.root'), what: r.error }]);
      return null;
    }
    setProblems(issueLines(r.issues, { data: r.data }, t));
    if (r.issues.length === 0 && type === 'service') setPreview(r.data as ServiceDefinition);
    return r.issues.length === 0 ? r.data : null;
  };
  const publish = async (patch: Partial<ServiceDefinition>): Promise<void> => {
    const data = check();
    if (!data || !db || !user) return;
    const next = type === 'service' ? { ...(data as ServiceDefinition), ...patch } : data;
    if (type === 'service') {
      // A published version keeps its content: applications may have been registered under it.
      const s = next as ServiceDefinition;
      const existing = catalogue.get(s.id, s.version);
      if (existing && content(existing) !== content(s)) {
        setProblems([{ where: serviceDocId(s.id, s.version), what: t('catalogue:admin.immutable') }]);
        return;
      }
    }
    try {
      const doc = await publishCatalogDoc(
        db,
        { login: user.login, roles: user.roles },
        { type, data: next },
        Date.now(),
      );
      setText(JSON.stringify(doc.data, null, 2));
      setMessage(
        patch.validTo
          ? t('catalogue:admin.retired', { date: isoDateText(patch.validTo) })
          : t('catalogue:admin.published', { id: doc._id }),
      );
    } catch (e) {
      if (e instanceof CatalogWriteError && e.issues.length) setProblems(issueLines(e.issues, { data: next }, t));
      else
        setMessage(
          t('catalogue:admin.refused', {
            reason: e instanceof CatalogWriteError ? refusalText(e.reason, next, t) : String(e),
          }),
        );
    }
  };
  const from = parseTypedDate(validFrom);
  const to = parseTypedDate(validTo);
  return (
    <section className="card admin-editor" data-testid="admin-editor">
      <h2>{type === 'office' ? t('catalogue:admin.officeEditor') : t('catalogue:admin.serviceEditor')}</h2>
      <div className="grid-3">
        <label className="field">
          <span>{t('catalogue:admin.editVersion')}</span>
          <select
            value=""
            onChange={(e) => {
              const [kind, id] = [e.target.value.slice(0, 1), e.target.value.slice(2)];
              if (kind === 's') {
                const [sid, v] = id.split('@');
                const s = catalogue.get(sid ?? '', v);
                if (s) {
                  setType('service');
                  setText(JSON.stringify(s, null, 2));
                  setValidTo(s.validTo ? s.validTo.split('-').reverse().join('.') : '');
                }
              } else if (kind === 'o') {
                const o = offices.get(id);
                if (o) {
                  setType('office');
                  setText(JSON.stringify(o, null, 2));
                }
              }
              setProblems(null);
              setMessage(null);
              setPreview(null);
            }}
            data-testid="admin-open"
          >
            <option value="">—</option>
            {versions.map((s) => (
              <option key={`${s.id}@${s.version}`} value={`s:${s.id}@${s.version}`}>
                {s.id} · {s.version}
              </option>
            ))}
            {[...offices.keys()].map((code) => (
              <option key={code} value={`o:${code}`}>
                office:{code}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('catalogue:admin.importFile')}</span>
          <input
            type="file"
            accept="application/json,.json"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              void file.text().then((body) => {
                setType(/"providers"\s*:/.test(body) && !/"variants"\s*:/.test(body) ? 'office' : 'service');
                setText(body);
                setProblems(null);
                setMessage(null);
                setPreview(null);
              });
            }}
            data-testid="admin-import"
          />
        </label>
        <label className="field">
          <span>{t('catalogue:filter.all')}</span>
          <select value={type} onChange={(e) => setType(e.target.value as CatalogType)} data-testid="admin-type">
            <option value="service">{t('catalogue:admin.serviceEditor')}</option>
            <option value="office">{t('catalogue:admin.officeEditor')}</option>
          </select>
        </label>
      </div>
      {type === 'office' && <p className="hint">{t('catalogue:admin.officeHint')}</p>}
      <textarea
        value={text}
        onChange={(e) => setText(e.target.value)}
        spellCheck={false}
        aria-label={t('catalogue:admin.serviceEditor')}
        data-testid="admin-json"
      />
      <div className="actions">
        <button type="button" onClick={() => void check()} data-testid="admin-check">
          {t('catalogue:admin.check')}
        </button>
        {type === 'service' && (
          <>
            <label className="field inline">
              <span>{t('catalogue:admin.validFrom')}</span>
              <input
                value={validFrom}
                onChange={(e) => setValidFrom(e.target.value)}
                size={10}
                data-testid="admin-valid-from"
              />
            </label>
            <button
              type="button"
              className="primary"
              disabled={!from}
              onClick={() => from && void publish({ validFrom: from })}
              data-testid="admin-publish"
            >
              {t('catalogue:admin.publish')}
            </button>
            <label className="field inline">
              <span>{t('catalogue:admin.validTo')}</span>
              <input
                value={validTo}
                onChange={(e) => setValidTo(e.target.value)}
                size={10}
                data-testid="admin-valid-to"
              />
            </label>
            <button
              type="button"
              disabled={!to}
              onClick={() => to && void publish({ validTo: to })}
              data-testid="admin-retire"
            >
              {t('catalogue:admin.retire')}
            </button>
          </>
        )}
        {type === 'office' && (
          <button type="button" className="primary" onClick={() => void publish({})} data-testid="admin-publish-office">
            {t('catalogue:admin.publish')}
          </button>
        )}
      </div>
      {(validFrom && !from) || (validTo && !to) ? <p className="field-error">{t('catalogue:admin.badDate')}</p> : null}
      {problems && problems.length === 0 && !message && (
        <p className="ok" data-testid="admin-valid">
          {t('catalogue:admin.valid')}
        </p>
      )}
      {problems && problems.length > 0 && <IssueList lines={problems} />}
      {message && (
        <p role="status" data-testid="admin-message">
          {message}
        </p>
      )}
      {refused.map((r) => (
        <p key={r.id} className="field-error">
          {t('catalogue:admin.pushRefused', { id: r.id, reason: refusalText(r.reason, null, t) })}
        </p>
      ))}
      <p className="hint">{t('catalogue:admin.syncNote')}</p>
      {preview && (
        <div data-testid="admin-preview">
          <h3>{t('catalogue:admin.preview')}</h3>
          {preview.variants.map((v) => (
            <ProcessDiagram
              key={v.id}
              graph={processGraph(v)}
              language={language}
              title={t('catalogue:diagram.title', { variant: v.label[language] })}
            />
          ))}
        </div>
      )}
    </section>
  );
}

function Conflicts(): JSX.Element {
  const { t } = useTranslation();
  const conflicts = useCatalog((s) => s.state.conflicts);
  const db = useCatalog((s) => s.db);
  const user = useSession((s) => s.user);
  const [shown, setShown] = useState<{ id: string; rev: string; json: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  return (
    <section className="card" data-testid="conflicts">
      <h2>{t('catalogue:admin.conflicts')}</h2>
      <p className="hint">{t('catalogue:admin.conflictsHint')}</p>
      {conflicts.length === 0 && <p className="muted">{t('catalogue:admin.noConflicts')}</p>}
      {done && <p role="status">{t('catalogue:admin.kept')}</p>}
      {conflicts.map((c) => (
        <div key={c.id} className="conflict" data-testid={`conflict-${c.id}`}>
          <strong>{c.id}</strong>
          <ul>
            {[c.rev, ...c.losers].map((rev, i) => (
              <li key={rev}>
                {i === 0 ? t('catalogue:admin.winner') : t('catalogue:admin.loser')}: <code>{rev}</code>{' '}
                <button
                  type="button"
                  className="link"
                  onClick={() =>
                    db &&
                    void catalogRevision(db, c.id, rev).then((doc) =>
                      setShown({ id: c.id, rev, json: JSON.stringify(doc, null, 2) }),
                    )
                  }
                  data-testid="conflict-view"
                >
                  {t('catalogue:admin.view')}
                </button>{' '}
                <button
                  type="button"
                  onClick={() =>
                    db &&
                    user &&
                    void resolveCatalogConflict(
                      db,
                      { login: user.login, roles: user.roles },
                      c.id,
                      rev,
                      Date.now(),
                    ).then(() => setDone(c.id))
                  }
                  data-testid={i === 0 ? 'conflict-keep-winner' : 'conflict-keep-loser'}
                >
                  {t('catalogue:admin.keep')}
                </button>
              </li>
            ))}
          </ul>
          {shown?.id === c.id && (
            <pre className="error-detail" data-testid="conflict-json">
              {shown.json}
            </pre>
          )}
        </div>
      ))}
    </section>
  );
}

function Invalid(): JSX.Element | null {
  const { t } = useTranslation();
  const invalid = useCatalog((s) => s.state.invalid);
  if (invalid.length === 0) return null;
  return (
    <section className="card" data-testid="invalid-docs">
      <h2>{t('catalogue:admin.invalid')}</h2>
      {invalid.map((d) => (
        <div key={d.id}>
          <strong>{d.id}</strong>
          <IssueList lines={issueLines(d.issues, null, t)} />
        </div>
      ))}
    </section>
  );
}
