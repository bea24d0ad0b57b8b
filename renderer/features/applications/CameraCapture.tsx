import { useEffect, useRef, useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { getBridge } from '../../platform/bridge';

/**
 * Photographs a document with the laptop's camera (getUserMedia), for the applicant's file. While
 * this screen is open the Electron shell allows the camera to the app (and only then: the
 * permission handler in electron/main/guards.ts); closing it stops the camera and closes the gate.
 */
export function CameraCapture({
  onCapture,
  onClose,
}: {
  onCapture: (file: File) => void;
  onClose: () => void;
}): JSX.Element {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<'starting' | 'live' | 'failed'>('starting');
  useEffect(() => {
    let stream: MediaStream | null = null;
    let live = true;
    const bridge = getBridge();
    void (async () => {
      try {
        await bridge.setCaptureOpen?.(true);
        const s = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 1920 } }, audio: false });
        if (!live) return s.getTracks().forEach((x) => x.stop());
        stream = s;
        if (video.current) {
          video.current.srcObject = s;
          await video.current.play();
        }
        setState('live');
      } catch {
        if (live) setState('failed');
      }
    })();
    return () => {
      live = false;
      stream?.getTracks().forEach((x) => x.stop());
      void bridge.setCaptureOpen?.(false);
    };
  }, []);

  const shoot = (): void => {
    const v = video.current;
    if (!v || v.videoWidth === 0) return;
    const canvas = document.createElement('canvas');
    canvas.width = v.videoWidth;
    canvas.height = v.videoHeight;
    canvas.getContext('2d')?.drawImage(v, 0, 0);
    canvas.toBlob(
      (blob) => {
        if (blob) onCapture(new File([blob], `photo-${Date.now()}.jpg`, { type: 'image/jpeg' }));
      },
      'image/jpeg',
      0.9,
    );
  };

  return (
    <div className="camera-capture" role="dialog" aria-label={t('card:camera.title')} data-testid="camera">
      <video ref={video} muted playsInline className="camera-view" />
      {state === 'failed' && (
        <p className="field-error" role="alert">
          {t('card:camera.failed')}
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          className="primary"
          disabled={state !== 'live'}
          onClick={shoot}
          data-testid="camera-shoot"
        >
          {t('card:camera.shoot')}
        </button>
        <button type="button" onClick={onClose} data-testid="camera-close">
          {t('card:camera.close')}
        </button>
      </div>
    </div>
  );
}
