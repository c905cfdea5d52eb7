import QRCode from 'qrcode';
import { useCallback, useEffect, useState } from 'react';
import { api, command, type Schema } from '../api/client';
import type { ApiError } from '../api/problem';
import { useI18n } from '../i18n/i18n';
import { time } from '../ui/format';
import { ErrorNotice, Loading } from '../ui/states';

/** A code lives this long; the panel fetches a new one well before (a photo of an old code soon stops working). */
const VALID_MINUTES = 15;
const REFRESH_MS = 10 * 60_000;

/**
 * The activity's check-in QR code, to show on a screen or phone at the venue.
 * Volunteers scan it, sign in, and check themselves in.
 */
export function CheckInQr({ activityId, onScanWindow }: { activityId: string; onScanWindow?: () => void }) {
  const { t, lang } = useI18n();
  const [code, setCode] = useState<Schema<'CheckInCodeAnswer'> | null>(null);
  const [image, setImage] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const issue = useCallback(async () => {
    try {
      const next = await command((headers) => api.POST('/api/v1/activities/{id}/check-in-codes', {
        headers, params: { path: { id: activityId } }, body: { validMinutes: VALID_MINUTES },
      }));
      const url = `${window.location.origin}${next.path}`;
      setImage(await QRCode.toDataURL(url, { width: 320, margin: 1, errorCorrectionLevel: 'M' }));
      setCode(next);
      setError(null);
    } catch (caught) {
      setError(caught as ApiError);
    }
  }, [activityId]);

  useEffect(() => {
    void issue();
    const timer = setInterval(() => void issue(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [issue]);

  // While the code is shown, the roster follows the volunteers who scan it.
  useEffect(() => {
    if (!onScanWindow) return;
    const timer = setInterval(onScanWindow, 5000);
    return () => clearInterval(timer);
  }, [onScanWindow]);

  if (error) return <ErrorNotice error={error} onRetry={() => void issue()} />;
  if (!code || !image) return <Loading />;
  const url = `${window.location.origin}${code.path}`;
  return (
    <div className="qr-panel">
      <img src={image} width={240} height={240} alt={t('qr.alt')} className="qr-image" />
      <div className="qr-text">
        <p>{t('qr.howTo')}</p>
        <p className="muted">{t('qr.validUntil', { time: time(code.expiresAt, lang) })}</p>
        <p className="qr-link"><a href={url} data-testid="check-in-link">{t('qr.link')}</a></p>
      </div>
    </div>
  );
}
