import type { JSX, ReactNode } from 'react';

export interface EmptyStateProps {
  title: string;
  description: string;
  children?: ReactNode;
}

/** What a section shows before it has anything to list. */
export function EmptyState({ title, description, children }: EmptyStateProps): JSX.Element {
  return (
    <section className="empty-state">
      <div className="empty-state-art" aria-hidden="true" />
      <h2>{title}</h2>
      <p>{description}</p>
      {children}
    </section>
  );
}
