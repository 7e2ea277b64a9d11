/*
 * The boot configuration: what vkernel(7)'s command line says, parsed by
 * kern/cmdline.ts (shared by bin/vkernel and the browser's boot form).
 */
export interface DiskSpec {
  kind: 'vkd' | 'vcd';
  unit: number;          // vkd0.. / vcd0.. in command-line order per kind
  path: string;          // host file (Node) or image name (browser)
  serno?: string;        // -r file:serno
}

export interface NetSpec {
  unit: number;          // vke0..
  iface: string;         // tap name, socket path, ws:// URL, or 'auto'
  bridge?: string;       // address1 given as bridgeX
  hostAddr?: string;     // address1
  guestAddr?: string;    // address2
  netmaskLen?: number;   // /z
  mac?: string;          // =MAC
}

export interface BootConfig {
  memSize: number;                // -m, bytes
  memSizeGiven: boolean;          // -m was on the command line (-i needs it for a new file)
  ncpus: number;                  // -n
  lbits: number;
  cbits: number;
  cpulock: { mode: 'any' } | { mode: 'map'; start: number } | { mode: 'cpu'; cpu: number };
  kenv: Map<string, string>;      // -e (all of them, in order; later wins)
  memImage?: string;              // -i
  pidfile?: string;               // -p
  disks: DiskSpec[];              // -r and -c in command-line order; [0] is the boot disk
  nets: NetSpec[];                // -I
  singleUser: boolean;            // -s
  verbose: boolean;               // -v
  kmemWritable: boolean;          // -U
  softwarePageTables: boolean;    // -d
}

export function defaultBootConfig(): BootConfig {
  return {
    memSize: 128 * 1024 * 1024,
    memSizeGiven: false,
    ncpus: 2,
    lbits: 0,
    cbits: 0,
    cpulock: { mode: 'any' },
    kenv: new Map(),
    disks: [],
    nets: [],
    singleUser: false,
    verbose: false,
    kmemWritable: false,
    softwarePageTables: false,
  };
}
