import { MAX_ATTACHMENT_BYTES } from '@shared/events';

/** The longest side a scan keeps: legible for documents, small enough to replicate over a rural link. */
const MAX_SIDE = 2000;

export type ScanError = 'scan.type' | 'scan.tooLarge' | 'scan.unreadable';

/**
 * Turns a chosen file into what the file keeps: photos and scans downscaled to at most 2000 px on
 * the longer side and re-encoded as JPEG; PDFs kept as they are. Refuses what it cannot keep.
 */
export async function prepareScan(
  file: File,
): Promise<{ name: string; type: string; data: Blob } | { error: ScanError }> {
  const safeName = file.name.replace(/[/\\]/g, '_').slice(-100) || 'scan';
  if (file.type === 'application/pdf') {
    return file.size <= MAX_ATTACHMENT_BYTES
      ? { name: safeName, type: file.type, data: file }
      : { error: 'scan.tooLarge' };
  }
  if (!file.type.startsWith('image/')) return { error: 'scan.type' };
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return { error: 'scan.unreadable' };
  }
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = new OffscreenCanvas(Math.round(bitmap.width * scale), Math.round(bitmap.height * scale));
  const ctx = canvas.getContext('2d');
  if (!ctx) return { error: 'scan.unreadable' };
  ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const data = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
  if (data.size > MAX_ATTACHMENT_BYTES) return { error: 'scan.tooLarge' };
  return { name: safeName.replace(/\.[^.]*$/, '') + '.jpg', type: 'image/jpeg', data };
}
