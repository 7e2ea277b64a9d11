/*
 * The playground page: boot form and command line, console, controls and
 * status bar, image library, share link. A browser that cannot give the
 * page SharedArrayBuffer (no cross-origin isolation) gets the explanation
 * instead of a kernel that cannot start.
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { ImageMeta } from '../workers/idb_store.ts';
import { commandLine, defaultForm, fieldErrors, formConfig, parseTyped, type FormState } from './form.ts';
import { machine } from './machine.ts';
import { BootForm } from './components/BootForm.tsx';
import { CommandLine } from './components/CommandLine.tsx';
import { Console } from './components/Console.tsx';
import { Controls } from './components/Controls.tsx';
import { StatusBar } from './components/StatusBar.tsx';
import { ShareLink } from './components/ShareLink.tsx';
import { Library } from './components/Library.tsx';

const hostCpus = navigator.hardwareConcurrency || 1;

function isolated(): boolean {
  return typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated && typeof SharedArrayBuffer !== 'undefined';
}

/** The form from the share link (?cmdline=...), else the defaults. */
function initialForm(): FormState {
  const line = new URLSearchParams(location.search).get('cmdline');
  if (line) {
    const r = parseTyped(line);
    if ('form' in r) return r.form;
  }
  return defaultForm();
}

/** The world build's root image, if the server has it (the dev server answers unknown paths with the page). */
export const WORLD_ROOT = 'images/root.img';

async function worldRootForm(): Promise<FormState | null> {
  try {
    const res = await fetch(WORLD_ROOT, { method: 'HEAD' });
    if (!res.ok || (res.headers.get('content-type') ?? '').includes('text/html')) return null;
    return { ...defaultForm(), disks: [{ kind: 'vkd', path: `/${WORLD_ROOT}`, serno: '' }], env: [] };
  } catch {
    return null;
  }
}

export function App() {
  if (!isolated()) return <NotIsolated />;
  return <Playground />;
}

function NotIsolated() {
  return (
    <main className="page narrow">
      <h1>vkernel playground</h1>
      <p data-testid="isolation" className="warning">
        This browser did not grant cross-origin isolation, so SharedArrayBuffer (the kernel’s physical memory) is
        unavailable. Serve the page with COOP/COEP headers.
      </p>
      <p>
        The kernel keeps its memory in a SharedArrayBuffer, which browsers only allow on pages served with the
        headers <code>Cross-Origin-Opener-Policy: same-origin</code> and <code>Cross-Origin-Embedder-Policy:
        require-corp</code>. <code>npm start</code> sends them; on static hosting the page installs a service worker
        (coi-sw.js) that adds them and reloads once — that needs a secure context (https or localhost) and a browser
        that allows service workers here. Private windows and some privacy settings block it.
      </p>
      <p>
        The same kernel runs under Node: <code>bin/vkernel -m 128m -e vfs.root.mountfrom=hostfs:/dir -e init_path=/bin/prog</code>.
      </p>
    </main>
  );
}

function useMachineState() {
  return useSyncExternalStore((fn) => machine.subscribe(fn), () => machine.state);
}

function Playground() {
  const state = useMachineState();
  const [form, setFormState] = useState<FormState>(initialForm);
  /* Once the user has changed the form, the late default (world root) must not replace it. */
  const touched = useRef(false);
  const setForm = useCallback((f: FormState | ((old: FormState) => FormState)) => {
    touched.current = true;
    setFormState(f);
  }, []);
  const [libraryNames, setLibraryNames] = useState<string[]>([]);
  const errors = useMemo(() => fieldErrors(form, hostCpus), [form]);
  const line = useMemo(() => commandLine(form, hostCpus), [form]);
  const canBoot = Object.keys(errors).length === 0;

  const boot = useCallback(() => {
    const r = formConfig(form, hostCpus);
    if ('config' in r) void machine.boot(r.config).catch(() => { /* shown on the console */ });
  }, [form]);

  const [ready, setReady] = useState(false);
  useEffect(() => {
    /* Without a linked setup, prefer the world's root image once it is served (a copy-on-write overlay). */
    if (new URLSearchParams(location.search).has('cmdline')) {
      setReady(true);
      return;
    }
    void worldRootForm().then((f) => {
      if (f && !touched.current) setFormState(f);
      setReady(true);
    });
  }, []);
  useEffect(() => {
    /* For scripts and tests: the form has its final defaults; typing into it now sticks. */
    if (ready) document.documentElement.dataset.formReady = '1';
  }, [ready]);
  useEffect(() => {
    if (ready && new URLSearchParams(location.search).has('autoboot')) boot();
    // Once, when the form is settled: ?autoboot boots the linked (or default) setup.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ready]);

  const onUse = useCallback((m: ImageMeta) => {
    setForm((f) => ({ ...f, disks: [...f.disks, { kind: m.kind === 'iso' ? 'vcd' : 'vkd', path: m.name, serno: '' }] }));
  }, []);

  return (
    <main className="page">
      <header>
        <h1>vkernel playground</h1>
        <p data-testid="isolation" className="hint">
          This page is cross-origin isolated: SharedArrayBuffer is available for the kernel.
        </p>
      </header>
      <div className="layout">
        <div className="left">
          <Controls state={state} canBoot={canBoot && ready} onBoot={boot} />
          <Console />
          <StatusBar state={state} status={machine.exitStatus} />
        </div>
        <div className="right">
          <CommandLine line={line} onForm={setForm} />
          <ShareLink line={line} />
          <BootForm form={form} errors={errors} images={libraryNames} onChange={setForm} />
          <Library onUse={onUse} onChanged={setLibraryNames} />
        </div>
      </div>
    </main>
  );
}
