import { useEffect, useState, type JSX } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ActorRef } from '@shared/events';
import type { AttachmentEntry } from '@shared/workflow';
import { writeFailureKey, type Desk } from '../../data';
import { formatNumber, formatPrintedDateTime } from '../../i18n/format';
import { usePreferences } from '../../state/preferences';
import { download } from '../../components/download';
import { CameraCapture } from './CameraCapture';
import { prepareScan } from './scan';

/** A file's size in the UI language: «12 КБ», «1,4 МБ» (the number with the locale's separators). */
export function fileSizeText(bytes: number, language: 'kk' | 'ru', t: TFunction): string {
  if (bytes < 1024 * 1024)
    return t('card:attachments.kilobytes', { size: formatNumber(Math.max(1, Math.round(bytes / 1024)), language) });
  return t('card:attachments.megabytes', { size: formatNumber(Math.round(bytes / 104857.6) / 10, language) });
}

/** Scans, photos and PDF copies in the application's file: shown, saved, and added from a file. */
export function Attachments({
  desk,
  appId,
  actor,
  attachments,
}: {
  desk: Desk;
  appId: string;
  actor: ActorRef;
  attachments: AttachmentEntry[];
}): JSX.Element {
  const { t } = useTranslation();
  const language = usePreferences((s) => s.language);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [camera, setCamera] = useState(false);

  const add = async (file: File): Promise<void> => {
    setBusy(true);
    setFailure(null);
    try {
      const scan = await prepareScan(file);
      if ('error' in scan) return setFailure(`card:${scan.error}`);
      await desk.attach(appId, actor, scan);
    } catch (e) {
      setFailure(writeFailureKey(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" data-testid="attachments">
      <h2>{t('card:attachments.title')}</h2>
      {attachments.length === 0 && <p className="muted">{t('card:attachments.none')}</p>}
      <ul className="attachments">
        {attachments.map((a) => (
          <li key={a.eventId} data-testid="attachment">
            {a.contentType.startsWith('image/') && <Thumbnail desk={desk} entry={a} />}
            <span>
              {a.name}
              <small className="muted">
                {' · '}
                {fileSizeText(a.size, language, t)} · {formatPrintedDateTime(Date.parse(a.at))} ·{' '}
                {a.by.name ?? a.by.login}
              </small>
            </span>
            <button
              type="button"
              className="link"
              onClick={() =>
                void desk
                  .attachment(a.eventId, a.name)
                  .then((blob) => download(a.name, new Uint8Array(0), blob.type, blob))
              }
            >
              {t('card:attachments.save')}
            </button>
          </li>
        ))}
      </ul>
      {/* The browser's own file input speaks the system's language ("Choose File"): hidden, and
          its label is the button, in the UI language. */}
      <label className={`button file-button${busy ? ' disabled' : ''}`}>
        <input
          type="file"
          className="visually-hidden"
          accept="image/*,application/pdf"
          disabled={busy}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void add(file);
          }}
          data-testid="attachment-input"
        />
        <span>{busy ? t('card:attachments.adding') : t('card:attachments.add')}</span>
      </label>
      <button type="button" disabled={busy || camera} onClick={() => setCamera(true)} data-testid="camera-open">
        {t('card:camera.open')}
      </button>
      {camera && (
        <CameraCapture
          onCapture={(file) => {
            setCamera(false);
            void add(file);
          }}
          onClose={() => setCamera(false)}
        />
      )}
      {failure && (
        <p className="field-error" role="alert">
          {t(failure)}
        </p>
      )}
    </section>
  );
}

function Thumbnail({ desk, entry }: { desk: Desk; entry: AttachmentEntry }): JSX.Element | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    let made: string | null = null;
    void desk.attachment(entry.eventId, entry.name).then((blob) => {
      if (!live) return;
      made = URL.createObjectURL(blob);
      setUrl(made);
    });
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [desk, entry.eventId, entry.name]);
  return url ? <img className="thumb" src={url} alt={entry.name} /> : null;
}
