import type { JSX, ReactNode } from 'react';

export function PageHeader({ title, children }: { title: string; children?: ReactNode }): JSX.Element {
  return (
    <header className="page-header">
      <h1>{title}</h1>
      {children}
    </header>
  );
}
