import { useEffect, useState, type JSX } from 'react';
import { createPortal } from 'react-dom';
import type { ProcessGraph } from '@shared/catalogue';
import type { UiLanguage } from '@shared/ipc/contract';
import type { ApplicationPath } from '@shared/workflow';
import { ProcessDiagram } from './ProcessDiagram';

/**
 * Keeps a process diagram ready for printing while mounted: cut into A4 landscape pages, in a
 * container of its own beside the app, which print CSS shows alone (app.css `@page diagram`).
 * Ctrl+P, the print button or a PDF export then give the diagram, nothing else.
 */
export function DiagramPrint(props: {
  graph: ProcessGraph;
  language: UiLanguage;
  title: string;
  path?: ApplicationPath;
}): JSX.Element {
  const [host] = useState(() => {
    const el = document.createElement('div');
    el.className = 'process-print-root';
    return el;
  });
  useEffect(() => {
    document.body.appendChild(host);
    return () => host.remove();
  }, [host]);
  return createPortal(<ProcessDiagram {...props} paged />, host);
}
