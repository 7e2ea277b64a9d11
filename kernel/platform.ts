/*
 * What a host supplies to the kernel core. The core never touches the DOM or
 * Node; workers/ (browser) and platform/node (bin/vkernel) implement this.
 */

/** Console: bytes out to the terminal, bytes in via Kernel.consoleInput(). */
export interface ConsoleDevice {
  /**
   * fromKernel is true for kernel messages (kprintf: boot log, panics,
   * shutdown lines), false/absent for bytes a program wrote to the console tty,
   * so a host can route or colour them apart.
   */
  write(bytes: Uint8Array, fromKernel?: boolean): void;
  /** Terminal size in cells, if the host knows it. */
  size?(): { rows: number; cols: number };
}

/**
 * A read-only view of a host directory tree (Node only), mounted as `hostfs`.
 * Synchronous: the Node target reads host files directly. Paths are relative
 * to the exported directory, '/'-separated, without a leading slash ('' = root).
 */
export interface HostFs {
  stat(path: string): HostStat | null;
  readdir(path: string): string[];
  read(path: string, offset: number, into: Uint8Array): number;
  readlink(path: string): string;
  /** Present when the host exported the tree read-write (mount -t hostfs -o rw). */
  writer?: HostFsWriter;
}

/**
 * Changes to a host tree exported read-write. Failures throw an object with a
 * `code` naming the host errno ('ENOENT', 'EEXIST', 'ENOTEMPTY', ...).
 */
export interface HostFsWriter {
  write(path: string, offset: number, data: Uint8Array): number;
  /** A new empty regular file; fails with EEXIST if the name is taken. */
  create(path: string, mode: number): void;
  mkdir(path: string, mode: number): void;
  symlink(target: string, path: string): void;
  link(existing: string, path: string): void;
  unlink(path: string): void;
  rmdir(path: string): void;
  rename(from: string, to: string): void;
  truncate(path: string, size: number): void;
  chmod(path: string, mode: number): void;
  /** lchown: never follows a final symlink. */
  chown(path: string, uid: number, gid: number): void;
  utimes(path: string, atimeMs: number, mtimeMs: number): void;
}

export interface HostStat {
  type: 'file' | 'dir' | 'symlink' | 'other';
  size: number;
  mode: number; // permission bits (low 12 bits)
  ino: number;
  mtimeMs: number;
  nlink: number;
  /* Read-write exports show the host's owners and times; read-only ones show root's. */
  uid?: number;
  gid?: number;
  atimeMs?: number;
  ctimeMs?: number;
  /** 512-byte blocks allocated (sparse files), when the host knows. */
  blocks?: number;
}

/**
 * A block store behind vkd/vcd (the storage issue fills this in): async,
 * chunked, flushable, so IndexedDB and host files both fit.
 */
export interface BlockStore {
  readonly size: number;
  readonly readOnly: boolean;
  read(offset: number, into: Uint8Array): Promise<void>;
  write(offset: number, data: Uint8Array): Promise<void>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface Platform {
  console: ConsoleDevice;
  /** Monotonic milliseconds (performance.now()). */
  monotonicMs(): number;
  /** Wall clock milliseconds since the epoch. */
  wallclockMs(): number;
  /** Fill with cryptographically random bytes. */
  randomBytes(into: Uint8Array): void;
  /** Ask the host to call back soon (macrotask) or after ms; returns a cancel function. */
  schedule(fn: () => void, ms: number): () => void;
  /** The kernel halted or rebooted: status is pid 1's exit status (or 32 for reboot). */
  halt(status: number): void;
  /**
   * Optional host tree for `vfs.root.mountfrom=hostfs:/dir` and mount -t hostfs
   * (Node). Read-write only where the host operator exported it (null otherwise).
   */
  hostfs?(root: string, writable?: boolean): HostFs | null;
  /** Number of host CPUs (for -l checks). */
  hostCpus(): number;
  /**
   * The disk images of config.disks (-r/-c), in the same order, opened (and
   * locked, if writable) by the host before boot. Absent: no disks.
   */
  blockStores?: readonly BlockStore[];
  /** The network backends of config.nets (-I), in the same order. Absent: none. */
  netBackends?: readonly NetBackend[];
}

/**
 * The host side of one vke interface (config.nets[i]): a relay connection
 * (WebSocket, one binary message per Ethernet frame) or a tap. The host opens
 * it before boot; the kernel's vke driver calls attach() at every boot (a
 * reboot re-attaches the same backend) and detach() at halt.
 */
export interface NetBackend {
  /** What it is connected to, for boot messages (`ws://127.0.0.1:8086/bridge0`). */
  readonly description: string;
  /** hw.vkeN.tap_unit: the tap(4) unit, -1 for a socket (relay) backend. */
  readonly tapUnit: number;
  /** Link state now: true while the relay connection is open. */
  readonly linkUp: boolean;
  /** Start delivering to h; mac is the interface's address (for keepalive frames). */
  attach(h: NetBackendHandlers, mac: Uint8Array): void;
  /** Stop delivering (the kernel halted); the connection may stay for a reboot. */
  detach(): void;
  /** Send one frame; false if it was dropped (link down, host buffer full). */
  send(frame: Uint8Array): boolean;
  /** Close for good (the host exits). */
  close(): void;
}

export interface NetBackendHandlers {
  /** One received Ethernet frame (the backend's own copy; the kernel may keep it). */
  receive(frame: Uint8Array): void;
  /** The link went up (connected) or down (lost; the backend keeps reconnecting). */
  link(up: boolean): void;
}
