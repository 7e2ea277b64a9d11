/*
 * The page's handle on the kernel worker: starts it, relays console bytes
 * both ways, tracks the machine's state, and is the automation API exposed
 * as window.vkernel (boot, type, screen, waitFor, state, images), like v86's
 * emulator object. A hard power-off terminates the worker; the next boot
 * starts a fresh one.
 */
import * as Comlink from 'comlink';
import type { BootConfig } from '../kernel/kern/bootconfig.ts';
import type { HostSignal, KernelApi, VkState, VkStats, WorkerEvent } from '../workers/api.ts';
import { listImages, type ImageMeta } from '../workers/idb_store.ts';
import { parseTyped } from './form.ts';

type Listener = () => void;

/** The terminal side: whatever shows the console (the xterm component). */
export interface ConsoleSink {
  write(bytes: Uint8Array): void;
  writeln(text: string): void;
  text(): string;
  size(): { rows: number; cols: number };
  focus(): void;
}

export class Machine {
  state: VkState = 'off';
  exitStatus: number | null = null;
  lastError = '';
  private worker: Worker | null = null;
  private api: Comlink.Remote<KernelApi> | null = null;
  private sink: ConsoleSink | null = null;
  private pending: Uint8Array[] = [];
  private readonly listeners = new Set<Listener>();
  private readonly encoder = new TextEncoder();

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(): void {
    for (const fn of this.listeners) fn();
  }

  attachConsole(sink: ConsoleSink | null): void {
    this.sink = sink;
    if (sink) {
      for (const b of this.pending) sink.write(b);
      this.pending = [];
    }
  }

  private out(bytes: Uint8Array): void {
    if (this.sink) this.sink.write(bytes);
    else this.pending.push(bytes);
  }

  private ensureWorker(): Comlink.Remote<KernelApi> {
    if (this.api) return this.api;
    const w = new Worker(new URL('../workers/kernel.worker.ts', import.meta.url), { type: 'module', name: 'vkernel' });
    const api = Comlink.wrap<KernelApi>(w);
    const ch = new MessageChannel();
    ch.port1.onmessage = (e: MessageEvent<WorkerEvent>) => this.onEvent(e.data);
    void api.attach(Comlink.transfer(ch.port2, [ch.port2]));
    w.onerror = (e) => {
      this.lastError = e.message;
      this.sink?.writeln(`\r\nvkernel: worker error: ${e.message}`);
    };
    this.worker = w;
    this.api = api;
    return api;
  }

  private onEvent(ev: WorkerEvent): void {
    if (ev.type === 'output') {
      this.out(ev.bytes);
      return;
    }
    this.state = ev.state;
    if (ev.status !== undefined) this.exitStatus = ev.status;
    this.emit();
  }

  get running(): boolean {
    return this.state === 'booting' || this.state === 'running';
  }

  async boot(config: BootConfig): Promise<void> {
    if (this.running) throw new Error('already running');
    const api = this.ensureWorker();
    this.lastError = '';
    this.exitStatus = null;
    this.state = 'booting';
    this.emit();
    const size = this.sink?.size() ?? { rows: 24, cols: 80 };
    /* A new boot starts on a fresh line below what the last one left. */
    if (this.sink?.text()) this.sink.writeln('');
    try {
      await api.boot(config, { demoBase: new URL('demo/', document.baseURI).href, rows: size.rows, cols: size.cols });
      this.sink?.focus();
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.lastError = msg;
      this.state = 'off';
      this.sink?.writeln(`\r\n${msg}`);
      this.emit();
      throw e;
    }
  }

  input(bytes: Uint8Array): void {
    if (this.running) void this.api?.input(Comlink.transfer(bytes, [bytes.buffer]));
  }

  resize(rows: number, cols: number): void {
    if (this.running) void this.api?.resize(rows, cols);
  }

  signal(sig: HostSignal): void {
    if (this.running) void this.api?.hostSignal(sig);
  }

  reboot(): void {
    if (this.running) void this.api?.reboot();
  }

  /** Hard stop: the worker's loop stops, its locks go, then the worker itself. */
  async powerOff(): Promise<void> {
    const api = this.api, w = this.worker;
    this.api = null;
    this.worker = null;
    if (api) {
      await Promise.race([api.powerOff(), new Promise((r) => setTimeout(r, 1000))]);
      api[Comlink.releaseProxy]();
    }
    w?.terminate();
    this.state = 'off';
    this.emit();
  }

  async stats(): Promise<VkStats | null> {
    if (!this.api) return null;
    return this.api.stats();
  }

  /* ---- the automation API (window.vkernel) ---- */

  /** Boot from a command line (`-m 128m -e init_path=/bin/hello`); rejects with the vkernel's message. */
  async bootCmdline(cmdline: string): Promise<void> {
    const r = parseTyped(cmdline);
    if ('error' in r) throw new Error(r.error);
    await this.boot(r.config);
  }

  type(text: string): void {
    this.input(this.encoder.encode(text));
  }

  screen(): string {
    return this.sink?.text() ?? '';
  }

  termSize(): { rows: number; cols: number } {
    return this.sink?.size() ?? { rows: 24, cols: 80 };
  }

  /** Resolve once the terminal shows text (string or RegExp); reject after timeoutMs. */
  waitFor(text: string | RegExp, timeoutMs = 10000): Promise<void> {
    const hit = (): boolean => (typeof text === 'string' ? this.screen().includes(text) : text.test(this.screen()));
    return new Promise((resolve, reject) => {
      const t0 = Date.now();
      const poll = (): void => {
        if (hit()) resolve();
        else if (Date.now() - t0 > timeoutMs) reject(new Error(`waitFor(${String(text)}): timed out`));
        else setTimeout(poll, 50);
      };
      poll();
    });
  }

  images(): Promise<ImageMeta[]> {
    return listImages();
  }
}

export const machine = new Machine();

/** What scripts (and the e2e tests) get on window.vkernel. */
export interface VkernelAutomation {
  boot(cmdline: string): Promise<void>;
  type(text: string): void;
  screen(): string;
  termText(): string;
  /** The terminal's size in cells (what the guest's TIOCGWINSZ says). */
  termSize(): { rows: number; cols: number };
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  readonly state: VkState;
  images(): Promise<ImageMeta[]>;
  shutdown(): void;
  powerOff(): Promise<void>;
}

declare global {
  interface Window {
    vkernel: VkernelAutomation;
  }
}

window.vkernel = {
  boot: (c) => machine.bootCmdline(c),
  type: (t) => machine.type(t),
  screen: () => machine.screen(),
  termText: () => machine.screen(),
  termSize: () => machine.termSize(),
  waitFor: (t, ms) => machine.waitFor(t, ms),
  get state() {
    return machine.state;
  },
  images: () => machine.images(),
  shutdown: () => machine.signal('SIGTERM'),
  powerOff: () => machine.powerOff(),
};
