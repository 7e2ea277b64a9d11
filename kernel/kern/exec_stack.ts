/*
 * The Linux initial process stack (create_elf_tables), top down:
 *   8 zero bytes at the very top, the execfn string, the envp strings, the
 *   argv strings, 16 random bytes (AT_RANDOM), padding, then from sp upward:
 *   argc, argv[], NULL, envp[], NULL, auxv pairs ending with AT_NULL.
 * sp is 16-byte aligned. Strings are byte strings (one JS char per byte).
 */
export const AT_NULL = 0, AT_IGNORE = 1, AT_EXECFD = 2, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5,
  AT_PAGESZ = 6, AT_BASE = 7, AT_FLAGS = 8, AT_ENTRY = 9, AT_NOTELF = 10, AT_UID = 11,
  AT_EUID = 12, AT_GID = 13, AT_EGID = 14, AT_PLATFORM = 15, AT_HWCAP = 16, AT_CLKTCK = 17,
  AT_SECURE = 23, AT_BASE_PLATFORM = 24, AT_RANDOM = 25, AT_HWCAP2 = 26, AT_EXECFN = 31,
  AT_SYSINFO_EHDR = 33, AT_MINSIGSTKSZ = 51;

/* I M A F D C: bits of 'a'..'z'. */
export const HWCAP_RV64IMAFDC = 0x112d;

export interface StackImage {
  /** The new sp (the address of argc). */
  sp: number;
  /** Bytes to copy out at sp (up to the stack top). */
  bytes: Uint8Array;
  argvAddr: number;
  envpAddr: number;
}

/** auxv with placeholders for AT_RANDOM and AT_EXECFN, which the builder fills in. */
export type Auxv = Array<[number, number]>;

function strBytes(s: string): number {
  return s.length + 1;
}

export function buildInitialStack(top: number, argv: string[], envp: string[], execfn: string,
  auxv: Auxv, random: Uint8Array): StackImage {
  /* Addresses of everything, from the top down. */
  let p = top - 8;
  p -= strBytes(execfn);
  const execfnAddr = p;
  const envAddrs: number[] = [];
  for (let i = envp.length - 1; i >= 0; i--) { p -= strBytes(envp[i]); envAddrs[i] = p; }
  const argAddrs: number[] = [];
  for (let i = argv.length - 1; i >= 0; i--) { p -= strBytes(argv[i]); argAddrs[i] = p; }
  p = Math.floor(p / 16) * 16;
  p -= 16;
  const randomAddr = p;
  const aux = auxv.map(([t, v]): [number, number] =>
    [t, t === AT_RANDOM ? randomAddr : t === AT_EXECFN ? execfnAddr : v]);
  if (!aux.some(([t]) => t === AT_NULL)) aux.push([AT_NULL, 0]);
  const words = 1 + argv.length + 1 + envp.length + 1 + 2 * aux.length;
  const sp = Math.floor((p - 8 * words) / 16) * 16;

  const bytes = new Uint8Array(top - sp);
  const dv = new DataView(bytes.buffer);
  const put64 = (addr: number, v: number): void => dv.setBigUint64(addr - sp, BigInt(v), true);
  const putStr = (addr: number, s: string): void => {
    for (let i = 0; i < s.length; i++) bytes[addr - sp + i] = s.charCodeAt(i) & 0xff;
    bytes[addr - sp + s.length] = 0;
  };
  putStr(execfnAddr, execfn);
  envp.forEach((s, i) => putStr(envAddrs[i], s));
  argv.forEach((s, i) => putStr(argAddrs[i], s));
  bytes.set(random.subarray(0, 16), randomAddr - sp);
  let w = sp;
  put64(w, argv.length); w += 8;
  const argvAddr = w;
  for (const a of argAddrs) { put64(w, a); w += 8; }
  put64(w, 0); w += 8;
  const envpAddr = w;
  for (const a of envAddrs) { put64(w, a); w += 8; }
  put64(w, 0); w += 8;
  for (const [t, v] of aux) { put64(w, t); put64(w + 8, v); w += 16; }
  return { sp, bytes, argvAddr, envpAddr };
}
