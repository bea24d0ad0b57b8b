/** Saves bytes or text as a file the user downloads (journals, attachments). */
export function download(name: string, data: Uint8Array | string, type: string, ready?: Blob): void {
  const blob = ready ?? new Blob([typeof data === 'string' ? data : data.slice().buffer], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
