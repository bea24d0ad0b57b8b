import { useEffect, useState, type JSX } from 'react';
import { createPortal } from 'react-dom';
import { PrintDocument } from './PrintDocument';
import { markSlotReady, measurePage, printRoot, releasePageRule, setPageRule, whenReady } from './printRoot';
import type { PaperFormat, PrintJob } from './types';

/**
 * Keeps one document standing in the print root, with its `@page` rule, for as long as it is
 * mounted: whatever prints the page (Ctrl+P, the browser's menu, a PDF export) gets exactly that
 * document. The slot gets `data-ready` once fonts, QR code and page size are in place.
 */
export function PrintPortal({ job, format }: { job: PrintJob; format: PaperFormat }): JSX.Element {
  const [slot] = useState(() => {
    const el = document.createElement('div');
    el.className = 'print-slot';
    return el;
  });

  useEffect(() => {
    printRoot().appendChild(slot);
    return () => slot.remove();
  }, [slot]);

  useEffect(() => {
    const owner = {};
    let live = true;
    markSlotReady(slot, null);
    void whenReady(slot).then(() => {
      if (!live) return;
      const page = measurePage(slot, format);
      setPageRule(owner, page.rule);
      markSlotReady(slot, page.heightMm);
    });
    return () => {
      live = false;
      releasePageRule(owner);
    };
  }, [slot, job, format]);

  return createPortal(<PrintDocument job={job} format={format} />, slot);
}
