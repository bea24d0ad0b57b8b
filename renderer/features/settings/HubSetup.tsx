import { useEffect, useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import type { HubStatusReport } from '@shared/ipc/contract';
import { formatPrintedDateTime } from '../../i18n/format';
import { getBridge } from '../../platform/bridge';
import { useCentralServiceUrl } from '../../state/centralService';
import { useSession } from '../../state/session';
import { parseServerUrl, useSyncStatus } from '../../state/sync';
import { HubHealthPanel } from './HubHealth';

/**
 * The embedded office hub (desktop app only): this computer serves the office database on the LAN
 * and replicates it with central, for offices without a server of their own. In browser mode the
 * section says that it needs the desktop app.
 */
export function HubSetup(): JSX.Element {
  const { t } = useTranslation();
  const office = useSession((s) => s.office);
  const central = useSyncStatus((s) => s.targets?.central ?? null);
  const [report, setReport] = useState<HubStatusReport | null>(null);
  const [host, setHost] = useState('0.0.0.0');
  const [port, setPort] = useState('5985');
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  // The central service the hub copies staff accounts from (HubConfig.serviceUrl): the desk's own by default.
  const deskService = useCentralServiceUrl();
  const [serviceUrl, setServiceUrl] = useState<string | null>(null);
  const service = serviceUrl ?? deskService ?? '';
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState(false);

  useEffect(() => {
    const bridge = getBridge();
    let live = true;
    let filled = false;
    const refresh = (): void => {
      void bridge.getHubStatus?.().then((r) => {
        if (!live) return;
        setReport(r);
        // The saved settings fill the form once, when they first arrive.
        if (!filled && r.config) {
          filled = true;
          setHost(r.config.host);
          setPort(String(r.config.port));
          setUser(r.config.user);
          setServiceUrl(r.config.serviceUrl ?? '');
        }
      });
    };
    refresh();
    const timer = setInterval(refresh, 5000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);

  const available = report?.available === true;
  const portNumber = Number(port);
  const portOk = Number.isInteger(portNumber) && portNumber >= 1024 && portNumber <= 65535;
  const hostOk = /^[A-Za-z0-9.-]{1,253}$/.test(host);
  const serviceParsed = service.trim() ? parseServerUrl(service) : null;
  const serviceOk = !service.trim() || serviceParsed !== null;
  const ready = Boolean(office && central && portOk && hostOk && user && password && serviceOk);
  const submit = (enabled: boolean): void => {
    const bridge = getBridge();
    if (!bridge.configureHub || !office || !central) return;
    setBusy(true);
    setRefused(false);
    void bridge
      .configureHub({
        enabled,
        office,
        host,
        port: portNumber,
        central: { url: central, user, password },
        ...(serviceParsed ? { serviceUrl: serviceParsed } : {}),
      })
      .then(setReport)
      // The main process refused the settings (its schema is the judge): say so, keep the form.
      .catch(() => setRefused(true))
      .finally(() => setBusy(false));
  };

  return (
    <section className="card" data-testid="hub-setup">
      <h2>{t('settings:hub.title')}</h2>
      <p className="note">{t('settings:hub.about')}</p>
      {report && !available && (
        <p className="note" data-testid="hub-unavailable">
          {t('settings:hub.desktopOnly')}
        </p>
      )}
      {available && (
        <form
          className="grid-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (ready) submit(true);
          }}
        >
          <label className={`field${hostOk ? '' : ' invalid'}`}>
            <span>{t('settings:hub.host')}</span>
            <input value={host} onChange={(e) => setHost(e.target.value)} data-testid="hub-host" />
            <span className="note">{t('settings:hub.hostNote')}</span>
          </label>
          <label className={`field${portOk ? '' : ' invalid'}`}>
            <span>{t('settings:hub.port')}</span>
            <input value={port} inputMode="numeric" onChange={(e) => setPort(e.target.value)} data-testid="hub-port" />
            {!portOk && <span className="field-error">{t('settings:hub.portHint')}</span>}
          </label>
          <label className="field">
            <span>{t('settings:hub.user')}</span>
            <input value={user} onChange={(e) => setUser(e.target.value)} data-testid="hub-user" />
          </label>
          <label className="field">
            <span>{t('settings:hub.password')}</span>
            <input
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              data-testid="hub-password"
            />
          </label>
          <p className="note wide">{!office || !central ? t('settings:hub.needsDesk') : t('settings:hub.userNote')}</p>
          <label className={`field wide${serviceOk ? '' : ' invalid'}`}>
            <span>{t('settings:hub.serviceUrl')}</span>
            <input
              value={service}
              autoComplete="off"
              onChange={(e) => setServiceUrl(e.target.value)}
              data-testid="hub-service-url"
            />
            {!serviceOk && <span className="field-error">{t('settings:sync.urlHint')}</span>}
          </label>
          <p className="note wide">{t('settings:hub.serviceNote')}</p>
          {report.error && <p className="field-error wide">{t(`settings:hub.error.${report.error.slice(4)}`)}</p>}
          {refused && (
            <p className="field-error wide" data-testid="hub-refused">
              {t('settings:hub.error.refused')}
            </p>
          )}
          <p className="wide" data-testid="hub-state">
            {t(`settings:hub.state.${report.state}`)}
            {report.state === 'running' && report.url && ` — ${report.url}`}
            {report.uplink && ` · ${t(`settings:hub.uplink.${report.uplink}`)}`}
            {report.lastSyncAt && ` · ${formatPrintedDateTime(report.lastSyncAt)}`}
          </p>
          {report.state === 'running' && report.health && <HubHealthPanel health={report.health} />}
          {report.state === 'running' && report.staff && (
            <p
              className={`wide${['refused', 'unreachable'].includes(report.staff.state) ? ' field-error' : ''}`}
              data-testid="hub-staff"
            >
              {t(`settings:hub.staff.${report.staff.state}`, { count: report.staff.count })}
              {report.staff.skipped > 0 && ` ${t('settings:hub.staff.skipped', { count: report.staff.skipped })}`}
            </p>
          )}
          <div className="actions wide">
            <button type="submit" className="primary" disabled={!ready || busy} data-testid="hub-enable">
              {t('settings:hub.enable')}
            </button>
            {report.config?.enabled && (
              <button
                type="button"
                disabled={busy || !office || !central}
                onClick={() => submit(false)}
                data-testid="hub-disable"
              >
                {t('settings:hub.disable')}
              </button>
            )}
          </div>
        </form>
      )}
    </section>
  );
}
