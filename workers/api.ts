/*
 * The contract between the page and the kernel worker: the Comlink API the
 * page calls and the events the worker pushes back on a MessagePort (console
 * output in batches, state changes). Types only: both sides import this.
 */
import type { BootConfig } from '../kernel/kern/bootconfig.ts';

export type VkState = 'off' | 'booting' | 'running' | 'halted' | 'panic';

export interface VkStats {
  state: VkState;
  uptimeMs: number;
  memUsed: number;       // bytes of -m in use (frames not free)
  memTotal: number;
  cpuLoad: number[];     // per vCPU, 0..1 since the previous stats() call
  diskRead: number;      // bytes through the block stores since boot
  diskWrite: number;
  netRx: number;         // frames through the vke relay sockets since boot (keepalives included)
  netTx: number;
  procs: number;
}

export type WorkerEvent =
  | { type: 'output'; bytes: Uint8Array }
  | { type: 'state'; state: VkState; status?: number };

export interface BootOptions {
  /** Where the demo bundle lives (public/demo/), for a boot without disks. */
  demoBase: string;
  rows: number;
  cols: number;
}

export type HostSignal = 'SIGTERM' | 'SIGQUIT' | 'SIGINT';

export interface KernelApi {
  /** The port the worker sends WorkerEvents on. */
  attach(port: MessagePort): void;
  /** Open the disks, take the locks, boot. Rejects with the vkernel's message (disk in use, ...). */
  boot(config: BootConfig, opts: BootOptions): Promise<void>;
  input(bytes: Uint8Array): void;
  resize(rows: number, cols: number): void;
  hostSignal(sig: HostSignal): void;
  /** Reboot through init when it can, else the kernel's own reboot path. */
  reboot(): void;
  /** Hard stop: no sync. Releases disks and locks; the page then drops the worker. */
  powerOff(): Promise<void>;
  stats(): VkStats;
}
