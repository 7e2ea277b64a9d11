/*
 * The boot form's model. The form keeps what the user typed (strings, so a
 * bad value can stay on screen next to its error) and turns it into an argv;
 * the kernel's own parser (kern/cmdline.ts) then decides, so the form
 * accepts exactly what bin/vkernel accepts and flags fields with the
 * vkernel's own messages. A typed command line goes the other way:
 * parseCmdline → BootConfig → form.
 */
import type { BootConfig } from '../kernel/kern/bootconfig.ts';
import { CmdlineError, formatCmdline, parseCmdline, parseCpulock } from '../kernel/kern/cmdline.ts';

export interface DiskRow {
  kind: 'vkd' | 'vcd';
  path: string;       // library image name or URL
  serno: string;
}

export interface NetRow {
  iface: string;      // relay URL (ws://, wss://) or auto
  addr1: string;      // host address or bridgeN (the relay room)
  addr2: string;      // guest address
  netmask: string;    // prefix length
  mac: string;
}

export interface FormState {
  mem: string;
  ncpus: string;
  lbits: string;
  cbits: string;
  cpulock: string;
  disks: DiskRow[];
  nets: NetRow[];
  env: string[];      // name=value, one -e each
  singleUser: boolean;
  verbose: boolean;
  kmemWritable: boolean;
  softwarePageTables: boolean;
  pidfile: string;
  memImage: string;   // -i: the library image physical memory is saved into at halt
}

/** Field keys errors are reported under: mem, ncpus, cpulock, pidfile, disk.N, net.N, env.N, cmdline. */
export type FieldErrors = Record<string, string>;

export function defaultForm(): FormState {
  return {
    mem: '128m', ncpus: '1', lbits: '', cbits: '', cpulock: 'any', disks: [], nets: [],
    env: ['init_path=/bin/guess'], singleUser: false, verbose: false, kmemWritable: false,
    softwarePageTables: false, pidfile: '', memImage: '',
  };
}

function netArg(n: NetRow): string {
  let s = n.iface.trim();
  if (n.addr1.trim()) s += `:${n.addr1.trim()}`;
  if (n.addr2.trim()) s += `:${n.addr2.trim()}`;
  if (n.netmask.trim()) s += `/${n.netmask.trim()}`;
  if (n.mac.trim()) s += `=${n.mac.trim()}`;
  return s;
}

function diskArg(d: DiskRow): string {
  return d.kind === 'vkd' && d.serno.trim() ? `${d.path.trim()}:${d.serno.trim()}` : d.path.trim();
}

function ncpusArg(f: FormState): string {
  const l = f.lbits.trim(), c = f.cbits.trim();
  if (l === '' && c === '') return f.ncpus.trim();
  return `${f.ncpus.trim()}:${l || '0'}:${c || '0'}`;
}

/** The argv the form stands for (without the program name). */
export function formArgv(f: FormState): string[] {
  const out: string[] = [];
  const flags = (f.singleUser ? 's' : '') + (f.kmemWritable ? 'U' : '') + (f.verbose ? 'v' : '') + (f.softwarePageTables ? 'd' : '');
  if (flags) out.push(`-${flags}`);
  out.push('-m', f.mem.trim());
  out.push('-n', ncpusArg(f));
  if (f.cpulock.trim() && f.cpulock.trim() !== 'any') out.push('-l', f.cpulock.trim());
  if (f.pidfile.trim()) out.push('-p', f.pidfile.trim());
  if (f.memImage.trim()) out.push('-i', f.memImage.trim());
  for (const d of f.disks) out.push(d.kind === 'vkd' ? '-r' : '-c', diskArg(d));
  for (const n of f.nets) out.push('-I', netArg(n));
  for (const e of f.env) if (e.trim()) out.push('-e', e.trim());
  return out;
}

function check(argv: string[]): string | null {
  try {
    parseCmdline(argv);
    return null;
  } catch (e) {
    if (e instanceof CmdlineError) return e.message || 'Invalid value';
    throw e;
  }
}

/** Each field parsed alone, so its error lands next to it. hostCpus checks -l as the real vkernel does. */
export function fieldErrors(f: FormState, hostCpus: number): FieldErrors {
  const errs: FieldErrors = {};
  const put = (key: string, msg: string | null): void => {
    if (msg) errs[key] = msg;
  };
  put('mem', f.mem.trim() === '' ? 'Bad maxmem option' : check(['-m', f.mem.trim()]));
  put('ncpus', check(['-n', ncpusArg(f)]));
  if (f.cpulock.trim() && f.cpulock.trim() !== 'any') {
    try {
      parseCpulock(f.cpulock.trim(), hostCpus);
    } catch (e) {
      if (e instanceof CmdlineError) errs.cpulock = e.message;
    }
  }
  f.disks.forEach((d, i) => {
    if (d.path.trim() === '') errs[`disk.${i}`] = `Bad disk image file name ''`;
    else put(`disk.${i}`, check([d.kind === 'vkd' ? '-r' : '-c', diskArg(d)]));
  });
  f.nets.forEach((n, i) => {
    if (n.netmask.trim() && !n.addr1.trim()) errs[`net.${i}`] = `Invalid argument to '-I'`;
    else put(`net.${i}`, check(['-I', netArg(n)]));
  });
  f.env.forEach((e, i) => {
    if (e.trim()) put(`env.${i}`, check(['-e', e.trim()]));
  });
  /* The lists as a whole: their limits (16 disks, 16 interfaces). */
  const rowErr = (prefix: string): boolean => Object.keys(errs).some((k) => k.startsWith(prefix));
  if (f.disks.length && !rowErr('disk.')) put('disks', check(f.disks.flatMap((d) => [d.kind === 'vkd' ? '-r' : '-c', diskArg(d) || 'x'])));
  if (f.nets.length && !rowErr('net.')) put('nets', check(f.nets.flatMap((n) => ['-I', netArg(n) || 'x'])));
  return errs;
}

/** The BootConfig, or the vkernel's message for the first thing wrong. */
export function formConfig(f: FormState, hostCpus: number): { config: BootConfig } | { error: string } {
  const errs = fieldErrors(f, hostCpus);
  const first = Object.values(errs)[0];
  if (first) return { error: first };
  const r = parseCmdline(formArgv(f));
  if (r.kind !== 'boot') return { error: 'vkernel -h: nothing to boot' };
  return { config: r.config };
}

/** A BootConfig back into form fields (a typed command line, a share link). */
export function configToForm(c: BootConfig): FormState {
  return {
    mem: formatCmdline(c)[formatCmdline(c).indexOf('-m') + 1],
    ncpus: String(c.ncpus),
    lbits: c.lbits || c.cbits ? String(c.lbits) : '',
    cbits: c.lbits || c.cbits ? String(c.cbits) : '',
    cpulock: c.cpulock.mode === 'any' ? 'any' : c.cpulock.mode === 'map' ? (c.cpulock.start ? `map,${c.cpulock.start}` : 'map') : String(c.cpulock.cpu),
    disks: c.disks.map((d) => ({ kind: d.kind, path: d.path, serno: d.serno ?? '' })),
    nets: c.nets.map((n) => ({
      iface: n.iface, addr1: n.bridge ?? n.hostAddr ?? '', addr2: n.guestAddr ?? '',
      netmask: n.netmaskLen !== undefined ? String(n.netmaskLen) : '', mac: n.mac ?? '',
    })),
    env: [...c.kenv].map(([k, v]) => (/[:"']/.test(v) ? `${k}="${v}"` : `${k}=${v}`)),
    singleUser: c.singleUser, verbose: c.verbose, kmemWritable: c.kmemWritable, softwarePageTables: c.softwarePageTables,
    pidfile: c.pidfile ?? '',
    memImage: c.memImage ?? '',
  };
}

/** Split a typed command line the way sh would (quotes, backslashes); a leading `vkernel` is the program name. */
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = '';
      else if (ch === '\\' && quote === '"' && i + 1 < text.length) cur += text[++i];
      else cur += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < text.length) {
      cur += text[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (quote) throw new CmdlineError('Unterminated quote in the command line');
  if (inWord) out.push(cur);
  if (out[0] === 'vkernel' || out[0]?.endsWith('/vkernel')) out.shift();
  return out;
}

/** argv as a line a shell reads back the same (single quotes where needed). */
export function joinArgs(argv: string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** A typed command line → form, or the vkernel's message. */
export function parseTyped(text: string): { form: FormState; config: BootConfig } | { error: string } {
  try {
    const r = parseCmdline(splitArgs(text));
    if (r.kind === 'help') return { error: 'vkernel -h prints the usage; nothing to boot' };
    return { form: configToForm(r.config), config: r.config };
  } catch (e) {
    if (e instanceof CmdlineError) return { error: e.message || 'Usage: vkernel [-hsUvd] ...' };
    throw e;
  }
}

/** The command line shown live under the form. */
export function commandLine(f: FormState, hostCpus: number): string {
  const r = formConfig(f, hostCpus);
  return `vkernel ${joinArgs('config' in r ? formatCmdline(r.config) : formArgv(f))}`;
}
