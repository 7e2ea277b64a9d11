/* A labelled form field with its error (the vkernel's message) right under it. */
import type { ReactNode } from 'react';

export function Field({ label, error, children, testid }: { label: string; error?: string; children: ReactNode; testid?: string }) {
  return (
    <label className={`field${error ? ' invalid' : ''}`}>
      <span className="label">{label}</span>
      {children}
      {error && <span className="error" role="alert" data-testid={testid ? `${testid}-error` : undefined}>{error}</span>}
    </label>
  );
}
