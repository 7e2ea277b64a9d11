/*
 * The kernel worker: the browser's vkernel process. It runs the kernel core
 * (kern/init_main.ts) over its SharedArrayBuffer physical memory, implements
 * the Platform for it, and answers the page through Comlink (workers/api.ts).
 *
 * Console output is batched: bytes the kernel writes during one event-loop
 * turn go to the page as one message (a microtask flushes them after the
 * kernel's time slice returns), never one message per byte.
 */
import * as Comlink from 'comlink';
import type { BootConfig, DiskSpec } from '../kernel/kern/bootconfig.ts';
import { Kernel, REBOOT_STATUS, PANIC_STATUS } from '../kernel/kern/init_main.ts';
import type { HostFs, Platform } from '../kernel/platform.ts';
import { SIG_DFL, SIGINT, SI_KERNEL } from '../kernel/kern/signal.ts';
import type { BootOptions, HostSignal, KernelApi, VkState, VkStats, WorkerEvent } from './api.ts';
import {
  createImage, findByBase, findImage, IdbBlockStore, kindOf, pidfileLockName, RemoteBase, tryLock, type HeldLock,
} from './idb_store.ts';
import { loadBundle } from './memfs.ts';
import { LibraryMemImage } from './memimg.ts';
import { DEFAULT_RELAY_PORT, RelayNetBackend, relayUrlFor, type WsLike } from './netws.ts';

const DEMO_ROOT = '/demo';
/* crypto.getRandomValues refuses more than 64 KiB per call. */
const RANDOM_MAX = 65536;

let port: MessagePort | null = null;
let kernel: Kernel | null = null;
let state: VkState = 'off';
let config: BootConfig | null = null;
let winsize = { rows: 24, cols: 80 };
let stores: IdbBlockStore[] = [];
let nets: RelayNetBackend[] = [];
let pidLock: HeldLock | null = null;
let memImage: LibraryMemImage | null = null;  // -i
let demoFs: HostFs | null = null;
let lastLoad = { at: 0, busy: 0 };

function post(ev: WorkerEvent, transfer: Transferable[] = []): void {
  port?.postMessage(ev, transfer);
}

function setState(s: VkState, status?: number): void {
  state = s;
  post({ type: 'state', state: s, status });
}

/* ---- console output, batched per event-loop turn ---- */

let outChunks: Uint8Array[] = [];
let outQueued = false;

function consoleWrite(bytes: Uint8Array): void {
  outChunks.push(bytes.slice());
  if (outQueued) return;
  outQueued = true;
  queueMicrotask(flushOutput);
}

function flushOutput(): void {
  outQueued = false;
  if (outChunks.length === 0) return;
  let n = 0;
  for (const c of outChunks) n += c.length;
  const all = new Uint8Array(n);
  let off = 0;
  for (const c of outChunks) {
    all.set(c, off);
    off += c.length;
  }
  outChunks = [];
  post({ type: 'output', bytes: all }, [all.buffer]);
}

/* ---- scheduling: MessageChannel for "soon" (setTimeout(0) is clamped to 4 ms when nested) ---- */

const soon = new MessageChannel();
const soonQueue = new Map<number, () => void>();
let soonSeq = 0;
soon.port1.onmessage = (e: MessageEvent<number>) => {
  const fn = soonQueue.get(e.data);
  if (!fn) return;
  soonQueue.delete(e.data);
  fn();
};

function schedule(fn: () => void, ms: number): () => void {
  if (ms <= 0) {
    const id = ++soonSeq;
    soonQueue.set(id, fn);
    soon.port2.postMessage(id);
    return () => soonQueue.delete(id);
  }
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
}

/* ---- the Platform ---- */

/*
 * The browser host. blockStores are the images the worker opened (and
 * locked, if writable) for config.disks before boot, in the same order:
 * the kernel's vkd/vcd attach to them (kernel/dev/disk/disk_attach.ts).
 */
function makePlatform(): Platform {
  return {
    console: {
      write: (bytes) => consoleWrite(bytes),
      size: () => winsize,
    },
    monotonicMs: () => performance.now(),
    wallclockMs: () => Date.now(),
    randomBytes(into: Uint8Array): void {
      for (let off = 0; off < into.length; off += RANDOM_MAX) {
        /* getRandomValues refuses views on a SharedArrayBuffer: fill a private copy. */
        const part = new Uint8Array(Math.min(RANDOM_MAX, into.length - off));
        crypto.getRandomValues(part);
        into.set(part, off);
      }
    },
    schedule,
    halt: (status) => onHalt(status),
    hostfs: (root) => (root === DEMO_ROOT ? demoFs : null),
    hostCpus: () => navigator.hardwareConcurrency || 1,
    get blockStores() {
      return stores;
    },
    get netBackends() {
      return nets;
    },
  };
}

const platform = makePlatform();

function startKernel(): void {
  if (!config) return;
  setState('booting');
  lastLoad = { at: performance.now(), busy: 0 };
  const k = new Kernel(platform, config);
  kernel = k;
  k.boot();
  /* boot() may already have halted (no init, a panic): then the state is the halt's. */
  if (kernel === k && state === 'booting') setState('running');
}

function onHalt(status: number): void {
  flushOutput();
  const mem = kernel?.physmemBuffer();
  kernel = null;
  if (status === REBOOT_STATUS) {
    /* halt → exit; reboot → boot again in the same worker, disks and locks kept. */
    setState('booting');
    schedule(startKernel, 0);
    return;
  }
  /* -i: physical memory goes to the library before the state says halted. */
  const saved = memImage && mem ? memImage.save(mem).catch((e: unknown) => {
    consoleWrite(new TextEncoder().encode(`vkernel: cannot save ${memImage?.meta.name}: ${String(e)}\r\n`));
    flushOutput();
  }) : Promise.resolve();
  void saved.then(releaseAll).finally(() => setState(status === PANIC_STATUS ? 'panic' : 'halted', status));
}

async function releaseAll(): Promise<void> {
  for (const nb of nets) nb.close();
  nets = [];
  const s = stores;
  stores = [];
  await Promise.allSettled(s.map((st) => st.close()));
  pidLock?.release();
  pidLock = null;
  memImage?.release();
  memImage = null;
}

/* ---- disks: library names or URLs of read-only base images ---- */

function isUrlRef(path: string): boolean {
  return /^(https?:)?\/\//.test(path) || path.startsWith('/') || path.startsWith('./');
}

function baseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.split('/').filter(Boolean).pop() ?? 'image');
}

async function openDiskStore(d: DiskSpec): Promise<IdbBlockStore> {
  const readOnly = d.kind === 'vcd';
  if (isUrlRef(d.path)) {
    /* A URL: the image is a copy-on-write overlay over it, created on first use and kept. */
    const url = new URL(d.path, self.location.href).href;
    let meta = await findByBase(url);
    if (!meta) {
      const base = await RemoteBase.open(url);
      let name = baseName(url);
      for (let i = 2; await findImage(name); i++) name = `${baseName(url)} (${i})`;
      meta = await createImage(name, base.size, d.kind === 'vcd' ? 'iso' : kindOf(name), url);
    }
    return IdbBlockStore.open(meta, readOnly);
  }
  const meta = await findImage(d.path);
  if (!meta) throw new Error(`vkernel: Unable to open disk image ${d.path}: no such image in the library`);
  return IdbBlockStore.open(meta, readOnly);
}

/* ---- the API ---- */

const api: KernelApi = {
  attach(p: MessagePort): void {
    port = p;
  },

  async boot(cfg: BootConfig, opts: BootOptions): Promise<void> {
    if (kernel) throw new Error('vkernel: already running');
    winsize = { rows: opts.rows, cols: opts.cols };
    const c: BootConfig = { ...cfg, kenv: new Map(cfg.kenv) };
    /* The page is an interactive console, as bin/vkernel at a terminal: a panic stops in ddb. */
    if (!c.kenv.has('debug.debugger_on_panic')) c.kenv.set('debug.debugger_on_panic', '1');
    try {
      if (c.pidfile) {
        pidLock = await tryLock(pidfileLockName(c.pidfile));
        if (!pidLock) throw new Error('vkernel: Failed to lock pidfile, vkernel already running');
      }
      if (c.memImage !== undefined) {
        memImage = await LibraryMemImage.open(c, (s) => consoleWrite(new TextEncoder().encode(`${s}\r\n`)));
      }
      for (const d of c.disks) stores.push(await openDiskStore(d));
      /* -I: `auto` is the relay that npm start runs beside the page (same host, port 8086 or $RELAY_PORT). */
      const relay = `${self.location.protocol === 'https:' ? 'wss' : 'ws'}://${self.location.hostname}:${relayPort()}/`;
      for (const n of c.nets) {
        nets.push(new RelayNetBackend(relayUrlFor(n, relay), (u) => new WebSocket(u) as unknown as WsLike));
      }
      const from = c.kenv.get('vfs.root.mountfrom');
      if ((c.disks.length === 0 && from === undefined) || from === `hostfs:${DEMO_ROOT}`) {
        /* No root disk (or asked for by name): the demo programs from an in-memory tree. */
        const { fs, manifest } = await loadBundle(new URL(opts.demoBase, self.location.href).href);
        demoFs = fs;
        c.kenv.set('vfs.root.mountfrom', `hostfs:${DEMO_ROOT}`);
        if (!c.kenv.has('init_path') && manifest.init) c.kenv.set('init_path', manifest.init);
      }
    } catch (e) {
      await memImage?.discard();
      memImage = null;
      await releaseAll();
      throw e instanceof Error ? new Error(e.message) : new Error(String(e));
    }
    config = c;
    startKernel();
  },

  input(bytes: Uint8Array): void {
    kernel?.consoleInput(bytes);
  },

  resize(rows: number, cols: number): void {
    winsize = { rows, cols };
    /* TIOCSWINSZ from the host side: the tty raises SIGWINCH for its foreground group. */
    try {
      kernel?.consTty?.setWinsize({ row: rows, col: cols, xpixel: 0, ypixel: 0 });
    } catch (e) {
      kernel?.panic(e);
    }
  },

  hostSignal(sig: HostSignal): void {
    kernel?.hostSignal(sig);
  },

  reboot(): void {
    const k = kernel;
    if (!k) return;
    /* BSD init reboots on SIGINT; a program run as init does not know that, so the kernel reboots. */
    const init = k.procs.procs.get(1);
    if (init && init.sigacts.act[SIGINT].handler !== SIG_DFL) {
      k.sig.psignal(init, SIGINT, { signo: SIGINT, code: SI_KERNEL });
    } else {
      k.shutdown('reboot', 0);
    }
  },

  async powerOff(): Promise<void> {
    const k = kernel;
    kernel = null;
    /* The loop stops where it is: no sync, so what the guest did not write is lost. */
    k?.sched.halt();
    flushOutput();
    await releaseAll();
    setState('off');
  },

  stats(): VkStats {
    const k = kernel;
    const now = performance.now();
    const ncpus = config?.ncpus ?? 1;
    const cpuLoad = new Array<number>(ncpus).fill(0);
    let memUsed = 0, memTotal = 0, procs = 0, uptimeMs = 0;
    if (k) {
      const busy = k.sched.cpUserMs + k.sched.cpSysMs;
      const dt = now - lastLoad.at;
      /* All vCPUs share one engine today: cpu0 carries the load. */
      if (dt > 0) cpuLoad[0] = Math.min(1, Math.max(0, (busy - lastLoad.busy) / dt));
      lastLoad = { at: now, busy };
      const s = k.pages.stats;
      memTotal = k.mem.size;
      memUsed = (s.total - s.free) * 4096;
      procs = k.procs.procs.size;
      uptimeMs = k.uptimeMs();
    }
    let diskRead = 0, diskWrite = 0;
    for (const st of stores) {
      diskRead += st.stats.readBytes;
      diskWrite += st.stats.writeBytes;
    }
    let netRx = 0, netTx = 0;
    for (const nb of nets) {
      netRx += nb.stats.received;
      netTx += nb.stats.sent;
    }
    return { state, uptimeMs, memUsed, memTotal, cpuLoad, diskRead, diskWrite, netRx, netTx, procs };
  },
};

Comlink.expose(api);

/** The relay port npm start chose (vite exposes VITE_RELAY_PORT to the bundle), else 8086. */
function relayPort(): number {
  const env = (import.meta as ImportMeta & { env?: Record<string, string | undefined> }).env;
  const port = Number(env?.VITE_RELAY_PORT);
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : DEFAULT_RELAY_PORT;
}
