import {
  applicantHistory,
  frequentServices,
  findApplicant,
  useBlindTokens,
  useLiveQuery,
  useOfferedCatalogue,
  useSealKeys,
  writeFailureKey,
  type ApplicationRow,
  type Desk,
} from '../../data';
import { useCallback, useEffect, useRef, useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import type { Catalogue, ServiceDefinition } from '@shared/catalogue';
import type { EventDoc } from '@shared/events';
import { validateIinOrBin } from '@shared/identity';
import type { UiLanguage } from '@shared/ipc/contract';
import { DateInput } from '../../components/DateInput';
import { DeskGate } from '../../components/DeskGate';
import { dueText } from '../../components/dueText';
import { PageHeader } from '../../components/PageHeader';
import { useMinuteClock } from '../../components/useMinuteClock';
import { toLocalDate } from '@shared/calendar';
import { formatPrintedDate, formatPrintedDateTime } from '../../i18n/format';
import { usePreferences } from '../../state/preferences';
import type { DeskUser } from '../../state/session';
import { useDrafts } from './draftStore';
import {
  applicantKind,
  buildRefusal,
  buildRegistration,
  consentDocument,
  emptyDraft,
  missingDocuments,
  resultDue,
  selectedVariant,
  type FieldError,
  type ReceptionDraft,
} from './intake';
import { IntakeDone } from './IntakeDone';
import { NumbersHeld, useNumbersHeld } from './NumbersHeld';
import { OfferNotes } from './OfferNotes';
import { ServicePicker } from './ServicePicker';

export function ReceptionPage(): JSX.Element {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('nav:reception')} />
      <DeskGate>
        {(desk, user, catalogue) => (
          <DraftGate login={user.login}>
            <Reception desk={desk} user={user} catalogue={catalogue} />
          </DraftGate>
        )}
      </DeskGate>
    </>
  );
}

/** The form shows once this person's sealed draft is opened; without unlocked keys, not at all. */
function DraftGate({ login, children }: { login: string; children: JSX.Element }): JSX.Element | null {
  const keys = useSealKeys();
  const load = useDrafts((s) => s.load);
  const ready = useDrafts((s) => s.keys !== null && s.keys === keys && s.loaded[login] === true);
  useEffect(() => {
    if (keys) void load(login, keys);
  }, [keys, login, load]);
  return ready ? children : null;
}

type Done = { event: EventDoc<'registered'> | EventDoc<'intake_refused'>; service: ServiceDefinition };

function Reception({ desk, user, catalogue }: { desk: Desk; user: DeskUser; catalogue: Catalogue }): JSX.Element {
  const { t } = useTranslation();
  const language = usePreferences((s) => s.language);
  const draft = useDrafts((s) => s.drafts[user.login]) ?? emptyDraft();
  const updateDraft = useDrafts((s) => s.update);
  const clearDraft = useDrafts((s) => s.clear);
  const set = useCallback(
    (change: (d: ReceptionDraft) => ReceptionDraft) => updateDraft(user.login, change),
    [updateDraft, user.login],
  );
  const [busy, setBusy] = useState(false);
  const busyRef = useRef(false);
  const held = useNumbersHeld(desk);
  // Errors show once the clerk has tried to register or refuse, and then follow every change.
  const [attempted, setAttempted] = useState<'register' | 'refuse' | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  // A refusal takes a registration number and prints at once: asked for once more first.
  const [confirmRefusal, setConfirmRefusal] = useState(false);
  const idRef = useRef<HTMLInputElement>(null);
  const serviceRef = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLFormElement>(null);

  /** Enter on a valid IIN/BIN goes on to the first empty required field, or to the service search. */
  const afterId = (): void => {
    const empty = kind === 'legal_entity' ? ['entity-title'] : ['person-surname', 'person-name'];
    for (const testId of empty) {
      const el = formRef.current?.querySelector<HTMLInputElement>(`[data-testid="${testId}"]`);
      if (el && !el.value.trim()) return el.focus();
    }
    serviceRef.current?.focus();
  };

  const now = useMinuteClock();
  // What this office offers today: its profile's providers and channels, the version in force.
  const offered = useOfferedCatalogue(desk.config.office, toLocalDate(now));
  const service = draft.serviceId ? offered.catalogue.get(draft.serviceId) : undefined;
  const variant = selectedVariant(draft, service);
  const id = validateIinOrBin(draft.idInput);
  const kind = applicantKind(draft);

  // A known applicant: details from the last registration, and their earlier applications, found
  // by the IIN/BIN's blind-index token (the read model holds no IIN in clear).
  const idValue = id.ok ? id.value : null;
  const [idToken] = useBlindTokens(desk.keys, idValue ? [idValue] : [], 'id') ?? [];
  const known = useLiveQuery(
    () => (idValue && idToken ? findApplicant(desk, idToken, idValue) : undefined),
    [desk, idValue, idToken],
  );
  const previous = useLiveQuery(
    () => (idToken ? applicantHistory(desk, idToken) : Promise.resolve<ApplicationRow[]>([])),
    [desk, idToken],
  );
  const frequent = useLiveQuery(() => frequentServices(desk), [desk]);

  // Fill the form from what the read model knows, without overwriting what the clerk typed.
  useEffect(() => {
    if (!known) return;
    const d = known.details;
    const str = (k: string): string => (typeof d[k] === 'string' ? d[k] : '');
    set((x) =>
      known.kind === 'person'
        ? {
            ...x,
            person: {
              surname: x.person.surname || str('surname'),
              name: x.person.name || str('name'),
              patronymic: x.person.patronymic || str('patronymic'),
              birthDate: x.person.birthDate || str('birthDate'),
              address: x.person.address || str('address'),
              phone: x.person.phone || str('phone'),
            },
          }
        : {
            ...x,
            entity: {
              title: x.entity.title || str('title'),
              head: x.entity.head || str('head'),
              address: x.entity.address || str('address'),
              phone: x.entity.phone || str('phone'),
            },
          },
    );
  }, [known, set]);

  // The birth date is suggested from the IIN (information only; the clerk may correct it).
  useEffect(() => {
    if (!id.ok || id.kind !== 'iin') return;
    const birthDate = 'birthDate' in id.info ? id.info.birthDate : null;
    if (birthDate) set((x) => (x.person.birthDate ? x : { ...x, person: { ...x.person, birthDate } }));
  }, [id, set]);

  // Cheap enough to compute on every render: a few days of calendar arithmetic.
  const due = service && variant ? resultDue(service, variant, desk.calendar, now) : null;

  const chooseService = (s: ServiceDefinition): void => {
    const fits = s.variants.find((v) => !draft.channel || v.channels.includes(draft.channel)) ?? s.variants[0];
    set((x) => ({
      ...x,
      serviceId: s.id,
      variantId: fits?.id ?? null,
      channel: fits && x.channel && fits.channels.includes(x.channel) ? x.channel : (fits?.channels[0] ?? null),
      documents: {},
      consent: false,
    }));
    setAttempted(null);
    // From the keyboard: the service chosen with Enter, the documents are next ("all received"
    // with Space or Enter), then Ctrl+Enter registers. No Tab through the variant and channel,
    // which are right for the usual case and still a Shift+Tab away.
    requestAnimationFrame(() =>
      formRef.current?.querySelector<HTMLElement>('[data-testid="all-received"], [data-testid="register"]')?.focus(),
    );
  };

  /** The refusal is checked first; a complete one is confirmed before it takes a number. */
  const askRefusal = (): void => {
    setFailure(null);
    setAttempted('refuse');
    if (buildRefusal(draft, service).ok) setConfirmRefusal(true);
  };

  const submit = async (mode: 'register' | 'refuse'): Promise<void> => {
    // A double click registers once: the ref is set before the first write starts.
    if (busyRef.current) return;
    setConfirmRefusal(false);
    setFailure(null);
    const actor = { login: user.login, role: user.role, name: user.displayName };
    const write = (): Promise<Done['event']> | FieldError[] => {
      if (mode === 'register') {
        const b = buildRegistration(draft, service);
        return b.ok ? desk.registerApplication('registered', actor, b.payload) : b.errors;
      }
      const b = buildRefusal(draft, service);
      return b.ok ? desk.registerApplication('intake_refused', actor, b.payload) : b.errors;
    };
    const pending = write();
    setAttempted(mode);
    if (Array.isArray(pending) || !service) return;
    busyRef.current = true;
    setBusy(true);
    try {
      const event = await pending;
      clearDraft(user.login);
      setAttempted(null);
      setDone({ event, service });
    } catch (e) {
      setFailure(writeFailureKey(e));
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  };

  const check = attempted === 'refuse' ? buildRefusal(draft, service) : buildRegistration(draft, service);
  const errors: FieldError[] = attempted && !check.ok ? check.errors : [];
  const errorFor = (field: string): string | null => {
    const e = errors.find((x) => x.field === field);
    return e ? t(e.code) : null;
  };

  if (done)
    return (
      <IntakeDone
        done={done}
        desk={desk}
        user={user}
        onNext={() => {
          setDone(null);
          requestAnimationFrame(() => idRef.current?.focus());
        }}
      />
    );

  const missing = service ? missingDocuments(draft, service) : [];
  return (
    <form
      ref={formRef}
      className="reception"
      onSubmit={(e) => {
        e.preventDefault();
        void submit('register');
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && e.ctrlKey) {
          e.preventDefault();
          void submit('register');
        }
      }}
      data-testid="reception-form"
    >
      {held && <NumbersHeld desk={desk} user={user} />}
      <section className="card reception-applicant">
        <h2>{t('reception:applicant.title')}</h2>
        <Field label={t('reception:applicant.id')} error={errorFor('idInput')}>
          <input
            ref={idRef}
            autoFocus
            inputMode="numeric"
            autoComplete="off"
            maxLength={14}
            value={draft.idInput}
            onChange={(e) => set((x) => ({ ...x, idInput: e.target.value }))}
            onKeyDown={(e) => {
              if (e.key !== 'Enter' || e.ctrlKey) return;
              e.preventDefault();
              if (id.ok) afterId();
            }}
            aria-invalid={draft.idInput.replace(/\s/g, '').length >= 12 && !id.ok}
            data-testid="applicant-id"
          />
        </Field>
        <IdHint input={draft.idInput} />
        {kind === 'legal_entity' && (
          <div className="grid-2">
            <Field label={t('reception:entity.title')} error={errorFor('entity.title')} wide>
              <input
                value={draft.entity.title}
                onChange={(e) => set((x) => ({ ...x, entity: { ...x.entity, title: e.target.value } }))}
                data-testid="entity-title"
              />
            </Field>
            <Field label={t('reception:entity.head')}>
              <input
                value={draft.entity.head}
                onChange={(e) => set((x) => ({ ...x, entity: { ...x.entity, head: e.target.value } }))}
              />
            </Field>
            <Field label={t('reception:applicant.phone')}>
              <input
                type="tel"
                value={draft.entity.phone}
                onChange={(e) => set((x) => ({ ...x, entity: { ...x.entity, phone: e.target.value } }))}
              />
            </Field>
            <Field label={t('reception:applicant.address')} wide>
              <input
                value={draft.entity.address}
                onChange={(e) => set((x) => ({ ...x, entity: { ...x.entity, address: e.target.value } }))}
              />
            </Field>
          </div>
        )}
        {kind === 'person' && (
          <div className="grid-3">
            <Field label={t('reception:person.surname')} error={errorFor('person.surname')}>
              <input
                value={draft.person.surname}
                onChange={(e) => set((x) => ({ ...x, person: { ...x.person, surname: e.target.value } }))}
                data-testid="person-surname"
              />
            </Field>
            <Field label={t('reception:person.name')} error={errorFor('person.name')}>
              <input
                value={draft.person.name}
                onChange={(e) => set((x) => ({ ...x, person: { ...x.person, name: e.target.value } }))}
                data-testid="person-name"
              />
            </Field>
            <Field label={t('reception:person.patronymic')}>
              <input
                value={draft.person.patronymic}
                onChange={(e) => set((x) => ({ ...x, person: { ...x.person, patronymic: e.target.value } }))}
              />
            </Field>
            <Field label={t('reception:person.birthDate')} error={errorFor('person.birthDate')}>
              <DateInput
                value={draft.person.birthDate}
                onChange={(birthDate) => set((x) => ({ ...x, person: { ...x.person, birthDate } }))}
                testId="person-birth-date"
              />
            </Field>
            <Field label={t('reception:applicant.phone')}>
              <input
                type="tel"
                value={draft.person.phone}
                onChange={(e) => set((x) => ({ ...x, person: { ...x.person, phone: e.target.value } }))}
              />
            </Field>
            <Field label={t('reception:applicant.address')}>
              <input
                value={draft.person.address}
                onChange={(e) => set((x) => ({ ...x, person: { ...x.person, address: e.target.value } }))}
              />
            </Field>
          </div>
        )}
        {kind && (
          <fieldset className="subsection">
            <label className="check">
              <input
                type="checkbox"
                checked={draft.hasRepresentative}
                onChange={(e) => set((x) => ({ ...x, hasRepresentative: e.target.checked }))}
              />
              <span>{t('reception:representative.toggle')}</span>
            </label>
            {draft.hasRepresentative && (
              <div className="grid-2">
                <Field label={t('reception:representative.iin')} error={errorFor('representative.iin')}>
                  <input
                    inputMode="numeric"
                    value={draft.representative.iin}
                    onChange={(e) =>
                      set((x) => ({ ...x, representative: { ...x.representative, iin: e.target.value } }))
                    }
                  />
                </Field>
                <Field label={t('reception:representative.fullName')} error={errorFor('representative.fullName')}>
                  <input
                    value={draft.representative.fullName}
                    onChange={(e) =>
                      set((x) => ({ ...x, representative: { ...x.representative, fullName: e.target.value } }))
                    }
                  />
                </Field>
                <Field label={t('reception:representative.poaNumber')} error={errorFor('representative.poaNumber')}>
                  <input
                    value={draft.representative.poaNumber}
                    onChange={(e) =>
                      set((x) => ({ ...x, representative: { ...x.representative, poaNumber: e.target.value } }))
                    }
                  />
                </Field>
                <Field label={t('reception:representative.poaDate')} error={errorFor('representative.poaDate')}>
                  <DateInput
                    value={draft.representative.poaDate}
                    onChange={(poaDate) => set((x) => ({ ...x, representative: { ...x.representative, poaDate } }))}
                    testId="representative-poa-date"
                  />
                </Field>
              </div>
            )}
          </fieldset>
        )}
        {previous && previous.length > 0 && (
          <div className="previous" data-testid="previous-applications">
            <h3>{t('reception:applicant.previous', { count: previous.length })}</h3>
            <ul>
              {previous.slice(0, 5).map((a) => (
                <li key={a.appId}>
                  <span className="mono">{a.regNumber}</span> ·{' '}
                  {a.registeredAt ? formatPrintedDate(a.registeredAt) : ''} ·{' '}
                  {catalogue.get(a.serviceId, a.serviceVersion)?.names[language] ?? a.serviceId} ·{' '}
                  {t(`applications:status.${a.status}`)}
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>

      <section className="card reception-service">
        <h2>{t('reception:service.title')}</h2>
        <OfferNotes
          office={desk.config.office}
          profile={offered.profile}
          service={service}
          status={service ? offered.catalogue.status(service.id) : null}
        />
        <ServicePicker
          inputRef={serviceRef}
          catalogue={offered.catalogue}
          frequent={frequent ?? []}
          selected={service}
          onSelect={chooseService}
          language={language}
        />
        {errorFor('serviceId') && <p className="field-error">{errorFor('serviceId')}</p>}
        {service && (
          <ServiceDetails draft={draft} set={set} service={service} language={language} errorFor={errorFor} />
        )}
        {service && variant && (
          <p className="due" data-testid="result-due">
            {due?.at != null
              ? t('reception:due.at', { date: formatPrintedDateTime(due.at) })
              : due?.calendarMissingYear
                ? dueText(null, due.calendarMissingYear, t)
                : t('reception:due.notStated')}
          </p>
        )}
        {failure && (
          <p className="form-failure" role="alert">
            {t(failure)}
          </p>
        )}
        {errors.length > 0 && (
          <p className="form-failure" role="alert" data-testid="form-errors">
            {t('reception:errors.fix', { count: errors.length })}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || held} data-testid="register">
            {t('reception:actions.register')} <kbd>Ctrl+Enter</kbd>
          </button>
          {service && (
            <>
              <select
                value={draft.refusalReason}
                onChange={(e) =>
                  set((x) => ({ ...x, refusalReason: e.target.value as ReceptionDraft['refusalReason'] }))
                }
                aria-label={t('reception:refusal.reason')}
              >
                {(['incomplete', 'expired', 'form', 'other'] as const).map((r) => (
                  <option key={r} value={r}>
                    {t(`reception:refusal.reasons.${r}`)}
                  </option>
                ))}
              </select>
              <button
                type="button"
                className="danger"
                disabled={busy || held || confirmRefusal}
                onClick={askRefusal}
                data-testid="refuse"
              >
                {t('reception:actions.refuse', { count: missing.length })}
              </button>
            </>
          )}
          <button
            type="button"
            className="link"
            onClick={() => {
              clearDraft(user.login);
              setAttempted(null);
              idRef.current?.focus();
            }}
          >
            {t('reception:actions.clear')}
          </button>
        </div>
        {confirmRefusal && service && (
          <RefusalConfirmation
            missing={missing.length}
            onConfirm={() => void submit('refuse')}
            onCancel={() => setConfirmRefusal(false)}
          />
        )}
      </section>
    </form>
  );
}

/**
 * Refusing to accept documents is final: it takes the desk's next registration number (the
 * refusal is registered too) and prints the refusal receipt. One more, deliberate, step.
 */
function RefusalConfirmation({
  missing,
  onConfirm,
  onCancel,
}: {
  missing: number;
  onConfirm: () => void;
  onCancel: () => void;
}): JSX.Element {
  const { t } = useTranslation();
  const cancel = useRef<HTMLButtonElement>(null);
  // Focus on "cancel": Enter pressed out of habit does not refuse.
  useEffect(() => cancel.current?.focus(), []);
  return (
    <div
      className="confirm-refusal"
      role="alertdialog"
      aria-labelledby="confirm-refusal-title"
      aria-describedby="confirm-refusal-text"
      data-testid="refusal-confirmation"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
    >
      <h3 id="confirm-refusal-title">{t('reception:refusal.confirmTitle')}</h3>
      <p id="confirm-refusal-text">{t('reception:refusal.confirmText', { count: missing })}</p>
      <div className="actions">
        <button type="button" className="danger" onClick={onConfirm} data-testid="refuse-confirm">
          {t('reception:refusal.confirm')}
        </button>
        <button ref={cancel} type="button" onClick={onCancel} data-testid="refuse-cancel">
          {t('reception:refusal.cancel')}
        </button>
      </div>
    </div>
  );
}

function ServiceDetails({
  draft,
  set,
  service,
  language,
  errorFor,
}: {
  draft: ReceptionDraft;
  set: (change: (d: ReceptionDraft) => ReceptionDraft) => void;
  service: ServiceDefinition;
  language: UiLanguage;
  errorFor: (field: string) => string | null;
}): JSX.Element {
  const { t } = useTranslation();
  const variant = selectedVariant(draft, service);
  const allReceived = service.documents.items.every((d) => draft.documents[d.id]?.received);
  return (
    <div className="service-details">
      <p className="chosen" data-testid="chosen-service">
        {service.names[language]}
      </p>
      <div className="grid-2">
        {/* Each on a line of its own: the variants' names are long and a cut one cannot be read. */}
        <Field label={t('reception:service.variant')} error={errorFor('variantId')} wide>
          <select
            value={draft.variantId ?? ''}
            onChange={(e) => {
              const v = service.variants.find((x) => x.id === e.target.value);
              set((x) => ({
                ...x,
                variantId: v?.id ?? null,
                channel: v && x.channel && v.channels.includes(x.channel) ? x.channel : (v?.channels[0] ?? null),
              }));
            }}
            data-testid="variant"
          >
            {service.variants.map((v) => (
              <option key={v.id} value={v.id}>
                {v.label[language]}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('reception:service.channel')} error={errorFor('channel')} wide>
          <select
            value={draft.channel ?? ''}
            onChange={(e) => set((x) => ({ ...x, channel: (e.target.value || null) as ReceptionDraft['channel'] }))}
            data-testid="channel"
          >
            {(variant?.channels ?? []).map((c) => (
              <option key={c} value={c}>
                {t(`reception:channel.${c}`)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {draft.channel === 'home_visit' && (
        <fieldset className="subsection home-intake" data-testid="home-intake">
          <legend>
            {t('reception:home.title')}
            {variant?.homeVisit && <span className="muted"> · {variant.homeVisit.basis}</span>}
          </legend>
          <Field label={t('reception:home.place')} error={errorFor('place')} wide>
            <input
              value={draft.place ?? ''}
              placeholder={t('reception:home.placeHint')}
              onChange={(e) => set((x) => ({ ...x, place: e.target.value }))}
              data-testid="home-place"
            />
          </Field>
          <label className="check consent">
            <input
              type="checkbox"
              checked={draft.homeConsent ?? false}
              onChange={(e) => set((x) => ({ ...x, homeConsent: e.target.checked }))}
              data-testid="home-consent"
            />
            <span>{t('reception:home.consent')}</span>
          </label>
          {errorFor('homeConsent') && <p className="field-error">{errorFor('homeConsent')}</p>}
        </fieldset>
      )}
      <fieldset className="documents" data-testid="documents">
        <legend>
          {t('reception:documents.title')}
          {service.documents.items.length > 0 && (
            <button
              type="button"
              className="link"
              onClick={() =>
                set((x) => ({
                  ...x,
                  documents: Object.fromEntries(
                    service.documents.items.map((d) => [
                      d.id,
                      { received: !allReceived, original: x.documents[d.id]?.original ?? false },
                    ]),
                  ),
                }))
              }
              data-testid="all-received"
            >
              {allReceived ? t('reception:documents.noneReceived') : t('reception:documents.allReceived')}
            </button>
          )}
        </legend>
        {service.documents.items.map((d) => (
          <div key={d.id} className="doc-row">
            <label className="check">
              <input
                type="checkbox"
                checked={draft.documents[d.id]?.received ?? false}
                onChange={(e) =>
                  set((x) => ({
                    ...x,
                    documents: {
                      ...x.documents,
                      [d.id]: { received: e.target.checked, original: x.documents[d.id]?.original ?? false },
                    },
                  }))
                }
              />
              <span>
                {d.name[language]}
                {d.optional && <em className="muted"> · {t('reception:documents.optional')}</em>}
              </span>
            </label>
            {d.original && (
              <label className="check small">
                <input
                  type="checkbox"
                  checked={draft.documents[d.id]?.original ?? false}
                  onChange={(e) =>
                    set((x) => ({
                      ...x,
                      documents: {
                        ...x.documents,
                        [d.id]: { received: x.documents[d.id]?.received ?? false, original: e.target.checked },
                      },
                    }))
                  }
                />
                <span>{t('reception:documents.originalReturned')}</span>
              </label>
            )}
          </div>
        ))}
        {service.documents.toBeConfigured && <p className="note">{t('reception:documents.toBeConfigured')}</p>}
        {errorFor('documents') && <p className="field-error">{errorFor('documents')}</p>}
      </fieldset>
      {service.consentRequired && !consentDocument(service) && (
        <label className="check consent">
          <input
            type="checkbox"
            checked={draft.consent}
            onChange={(e) => set((x) => ({ ...x, consent: e.target.checked }))}
            data-testid="consent"
          />
          <span>{t('reception:consent')}</span>
        </label>
      )}
      {errorFor('consent') && <p className="field-error">{errorFor('consent')}</p>}
      <Field label={t('reception:note')} error={errorFor('note')} wide>
        <input value={draft.note} onChange={(e) => set((x) => ({ ...x, note: e.target.value }))} />
      </Field>
    </div>
  );
}

function IdHint({ input }: { input: string }): JSX.Element | null {
  const { t } = useTranslation();
  const digits = input.replace(/\s/g, '');
  if (!digits) return <p className="hint">{t('reception:applicant.idHint')}</p>;
  const r = validateIinOrBin(input);
  if (!r.ok) {
    // While typing, only say what is wrong once it can no longer become right.
    if (r.error === 'id.length' && digits.length < 12 && /^\d*$/.test(digits))
      return <p className="hint">{t('reception:applicant.digitsLeft', { count: 12 - digits.length })}</p>;
    return (
      <p className="field-error" role="alert" data-testid="id-error">
        {t(`identity:errors.${r.error}`)}
      </p>
    );
  }
  return (
    <p className="hint ok" data-testid="id-ok">
      {t(r.kind === 'bin' ? 'reception:applicant.binOk' : 'reception:applicant.iinOk')}
      {r.warnings.map((w) => (
        <span key={w} className="warn">
          {' · '}
          {t(`identity:warnings.${w}`)}
        </span>
      ))}
    </p>
  );
}

export function Field({
  label,
  error,
  children,
  wide,
}: {
  label: string;
  error?: string | null;
  children: JSX.Element;
  wide?: boolean;
}): JSX.Element {
  return (
    <label className={`field${wide ? ' wide' : ''}${error ? ' invalid' : ''}`}>
      <span>{label}</span>
      {children}
      {error && <span className="field-error">{error}</span>}
    </label>
  );
}
