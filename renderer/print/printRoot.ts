import type { PageSize } from '@shared/ipc/contract';
import { pageRuleFor, pageSizeFor, PAPER, rollHeightMm } from './paper';
import type { PaperFormat } from './types';

/**
 * The print root: a container outside the React app (a sibling of #root) that holds what goes on
 * paper. On screen it sits off-screen, laid out at the paper's width so it can be measured; in
 * print it is all there is (print.css). Each owner (a print job, a standing preview) gets a slot.
 */
export const PRINT_ROOT_ID = 'kense-print-root';

export function printRoot(doc: Document = document): HTMLElement {
  let root = doc.getElementById(PRINT_ROOT_ID);
  if (!root) {
    root = doc.createElement('div');
    root.id = PRINT_ROOT_ID;
    root.setAttribute('aria-hidden', 'true');
    doc.body.appendChild(root);
  }
  return root;
}

/** A slot for one owner. A job's slot (`job: true`) hides standing previews while it prints. */
export function createSlot(job: boolean, doc: Document = document): HTMLElement {
  const slot = doc.createElement('div');
  slot.className = 'print-slot';
  if (job) slot.dataset['job'] = 'true';
  printRoot(doc).appendChild(slot);
  return slot;
}

/** Marks a standing slot as ready to print (fonts, QR and page in place), or not yet (null). */
export function markSlotReady(slot: HTMLElement, heightMm: number | null): void {
  if (heightMm === null) {
    delete slot.dataset['ready'];
    delete slot.dataset['pageHeightMm'];
  } else {
    slot.dataset['ready'] = 'true';
    slot.dataset['pageHeightMm'] = String(heightMm);
  }
}

/** Measures the sheet in a slot and gives the page it needs. */
export function measurePage(
  slot: HTMLElement,
  format: PaperFormat,
): { heightMm: number; pageSize: PageSize; rule: string } {
  const sheet = slot.querySelector<HTMLElement>('.print-sheet');
  const px = sheet ? sheet.getBoundingClientRect().height : 0;
  const heightMm = PAPER[format].height ?? rollHeightMm(px);
  return { heightMm, pageSize: pageSizeFor(format, heightMm), rule: pageRuleFor(format, heightMm) };
}

/*
 * The @page rule. The CSP allows no inline <style>, so the rule goes into a constructed stylesheet
 * (CSSOM, not subject to style-src). The latest owner's rule applies; when it lets go, the
 * previous one's does again.
 */
const owners: { owner: object; rule: string }[] = [];
let sheet: CSSStyleSheet | null = null;

function applyRule(doc: Document): void {
  const rule = owners.at(-1)?.rule ?? '';
  if (!sheet) {
    sheet = new CSSStyleSheet();
    doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  }
  sheet.replaceSync(rule);
}

export function setPageRule(owner: object, rule: string, doc: Document = document): void {
  const existing = owners.findIndex((o) => o.owner === owner);
  if (existing >= 0) owners.splice(existing, 1);
  owners.push({ owner, rule });
  applyRule(doc);
}

export function releasePageRule(owner: object, doc: Document = document): void {
  const existing = owners.findIndex((o) => o.owner === owner);
  if (existing < 0) return;
  owners.splice(existing, 1);
  applyRule(doc);
}

/** Waits until the slot's text can be drawn in the bundled font and the QR code is in place. */
export async function whenReady(slot: HTMLElement, doc: Document = document): Promise<void> {
  const text = slot.textContent ?? '';
  if (doc.fonts) {
    await Promise.all(['400', '600'].map((w) => doc.fonts.load(`${w} 12px "Noto Sans"`, text).catch(() => [])));
    await doc.fonts.ready;
  }
  // The QR code is an SVG rendered with the document; make sure it is there and laid out.
  for (let i = 0; i < 20 && !slot.querySelector('.print-qr-code path'); i++) await frame();
  await frame();
}

function frame(): Promise<void> {
  // requestAnimationFrame stalls in a hidden window; a timer does not.
  return new Promise((resolve) => {
    const done = (): void => resolve();
    const timer = setTimeout(done, 50);
    requestAnimationFrame(() => {
      clearTimeout(timer);
      done();
    });
  });
}
