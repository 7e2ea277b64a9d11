/*
 * The console: xterm.js sized to its box by the fit addon. Keys go to the
 * kernel's console tty; ^\ is the host's break (ddb), as on bin/vkernel's
 * terminal. A size change reaches the guest as TIOCSWINSZ + SIGWINCH.
 */
import { useEffect, useRef } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import { machine } from '../machine.ts';

const CTRL_BACKSLASH = '\x1c';

export function Console() {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const term = new Terminal({
      convertEol: false, cursorBlink: true, scrollback: 5000, fontSize: 14,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, monospace',
      theme: { background: '#101418' },
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(el);
    fit.fit();
    const enc = new TextEncoder();
    term.onData((data) => {
      const parts = data.split(CTRL_BACKSLASH);
      parts.forEach((p, i) => {
        if (p) machine.input(enc.encode(p));
        if (i < parts.length - 1) machine.signal('SIGQUIT');
      });
    });
    term.onResize(({ rows, cols }) => machine.resize(rows, cols));
    /* Ctrl+Shift+C / Ctrl+Shift+V copy and paste; plain Ctrl+C stays the guest's interrupt. */
    term.attachCustomKeyEventHandler((ev) => {
      if (ev.type !== 'keydown' || !ev.ctrlKey || !ev.shiftKey) return true;
      if (ev.code === 'KeyC') {
        void navigator.clipboard?.writeText(term.getSelection());
        return false;
      }
      if (ev.code === 'KeyV') {
        void navigator.clipboard?.readText().then((t) => term.paste(t));
        return false;
      }
      return true;
    });
    machine.attachConsole({
      write: (b) => term.write(b),
      writeln: (t) => term.writeln(t),
      size: () => ({ rows: term.rows, cols: term.cols }),
      focus: () => term.focus(),
      text: () => {
        const buf = term.buffer.active;
        const lines: string[] = [];
        for (let i = 0; i < buf.length; i++) lines.push(buf.getLine(i)?.translateToString(true) ?? '');
        return lines.join('\n').replace(/\n+$/, '');
      },
    });
    const ro = new ResizeObserver(() => {
      try {
        fit.fit();
      } catch {
        /* not laid out yet */
      }
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      machine.attachConsole(null);
      term.dispose();
    };
  }, []);

  return <div className="console" ref={box} data-testid="console" />;
}
