/*
 * The command line equivalent to the form, live. Typing one and pressing
 * Enter (or Apply) fills the form from it through the kernel's own parser;
 * a bad line keeps the text and shows the vkernel's message.
 */
import { useState } from 'react';
import { parseTyped, type FormState } from '../form.ts';

export function CommandLine({ line, onForm }: { line: string; onForm: (f: FormState) => void }) {
  const [typed, setTyped] = useState<string | null>(null);
  const [error, setError] = useState('');
  const apply = (): void => {
    if (typed === null) return;
    const r = parseTyped(typed);
    if ('error' in r) {
      setError(r.error);
      return;
    }
    setError('');
    setTyped(null);
    onForm(r.form);
  };
  return (
    <div className={`cmdline${error ? ' invalid' : ''}`}>
      <label className="label" htmlFor="cmdline">Command line</label>
      <div className="row">
        <input id="cmdline" data-testid="cmdline" spellCheck={false} value={typed ?? line}
          onChange={(e) => { setTyped(e.target.value); setError(''); }}
          onKeyDown={(e) => { if (e.key === 'Enter') apply(); if (e.key === 'Escape') { setTyped(null); setError(''); } }} />
        <button disabled={typed === null} onClick={apply}>Apply</button>
      </div>
      {error && <span className="error" role="alert" data-testid="cmdline-error">{error}</span>}
    </div>
  );
}
