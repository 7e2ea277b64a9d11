/*
 * The terminal line discipline (termios), Linux flavoured since that is the
 * ABI: struct termios as TCGETS copies it (the kernel's 36-byte layout, NCCS
 * 19), canonical editing (erase, word erase, kill, EOF, reprint, literal
 * next), echo, CR/NL mapping, output post-processing, raw mode with
 * VMIN/VTIME, job control (ISIG signals to the foreground process group,
 * SIGTTIN/SIGTTOU for background access, SIGWINCH on resize) and the
 * controlling-terminal bond with a session.
 *
 * Input arrives from the host with input(bytes); output leaves through the
 * write function the driver gives the constructor (the console: the
 * platform's terminal). Readers sleep on the Tty and are woken by input.
 */
import { EAGAIN, EINVAL, EIO, ENOTTY, EPERM, ERESTARTSYS, ESPIPE, ESRCH, SysError } from './errno.ts';
import { tsleep, wakeup } from './sleep.ts';
import { SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGWINCH } from './signal.ts';
import type { Session } from './proc.ts';
import { ByteQueue } from '../vfs/bytequeue.ts';
import type { File, FileOps } from '../vfs/file.ts';
import { nanotime } from '../vfs/vfs_time.ts';
import { VCHR, type Vattr } from '../vfs/vnode.ts';
import type { IoCtx } from '../vfs/ioctx.ts';
import { selwakeup } from '../vfs/selinfo.ts';

/* c_iflag */
export const IGNBRK = 0o1, BRKINT = 0o2, IGNPAR = 0o4, PARMRK = 0o10, INPCK = 0o20, ISTRIP = 0o40,
  INLCR = 0o100, IGNCR = 0o200, ICRNL = 0o400, IUCLC = 0o1000, IXON = 0o2000, IXANY = 0o4000,
  IXOFF = 0o10000, IMAXBEL = 0o20000, IUTF8 = 0o40000;
/* c_oflag */
export const OPOST = 0o1, OLCUC = 0o2, ONLCR = 0o4, OCRNL = 0o10, ONOCR = 0o20, ONLRET = 0o40;
/* c_cflag */
export const B38400 = 0o17, CS8 = 0o60, CREAD = 0o200, HUPCL = 0o2000, CLOCAL = 0o4000;
/* c_lflag */
export const ISIG = 0o1, ICANON = 0o2, XCASE = 0o4, ECHO = 0o10, ECHOE = 0o20, ECHOK = 0o40,
  ECHONL = 0o100, NOFLSH = 0o200, TOSTOP = 0o400, ECHOCTL = 0o1000, ECHOPRT = 0o2000,
  ECHOKE = 0o4000, FLUSHO = 0o10000, PENDIN = 0o40000, IEXTEN = 0o100000;
/* c_cc indices */
export const VINTR = 0, VQUIT = 1, VERASE = 2, VKILL = 3, VEOF = 4, VTIME = 5, VMIN = 6,
  VSWTC = 7, VSTART = 8, VSTOP = 9, VSUSP = 10, VEOL = 11, VREPRINT = 12, VDISCARD = 13,
  VWERASE = 14, VLNEXT = 15, VEOL2 = 16;
export const NCCS = 19;
export const TERMIOS_SIZE = 36;

/* ioctl requests (asm-generic). */
export const TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404,
  TCSBRK = 0x5409, TCXONC = 0x540a, TCFLSH = 0x540b, TIOCEXCL = 0x540c, TIOCNXCL = 0x540d,
  TIOCSCTTY = 0x540e, TIOCGPGRP = 0x540f, TIOCSPGRP = 0x5410, TIOCOUTQ = 0x5411, TIOCSTI = 0x5412,
  TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, FIONREAD = 0x541b, TIOCNOTTY = 0x5422,
  TIOCGSID = 0x5429, TIOCGPTN = 0x80045430, TCSBRKP = 0x5425, TIOCVHANGUP = 0x5437;
export const TCIFLUSH = 0, TCOFLUSH = 1, TCIOFLUSH = 2;

/* _POSIX_VDISABLE on Linux. */
const VDISABLE = 0;
/* Longest canonical line (N_TTY_BUF_SIZE - 1). */
const MAX_CANON = 4095;
const MAX_INPUT = 65536;

export interface Termios {
  iflag: number;
  oflag: number;
  cflag: number;
  lflag: number;
  line: number;
  cc: Uint8Array;
}

export interface Winsize {
  row: number;
  col: number;
  xpixel: number;
  ypixel: number;
}

/** Linux's tty_std_termios. */
export function defaultTermios(): Termios {
  const cc = new Uint8Array(NCCS);
  cc.set([3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0]);
  return {
    iflag: ICRNL | IXON,
    oflag: OPOST | ONLCR,
    cflag: B38400 | CS8 | CREAD | HUPCL,
    lflag: ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
    line: 0,
    cc,
  };
}

export function encodeTermios(t: Termios): Uint8Array {
  const b = new Uint8Array(TERMIOS_SIZE);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, t.iflag, true);
  dv.setUint32(4, t.oflag, true);
  dv.setUint32(8, t.cflag, true);
  dv.setUint32(12, t.lflag, true);
  b[16] = t.line;
  b.set(t.cc, 17);
  return b;
}

export function decodeTermios(b: Uint8Array): Termios {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return {
    iflag: dv.getUint32(0, true), oflag: dv.getUint32(4, true),
    cflag: dv.getUint32(8, true), lflag: dv.getUint32(12, true),
    line: b[16], cc: b.slice(17, 17 + NCCS),
  };
}

/** What the tty needs from the process layer; the kernel installs it (setTtyHooks). */
export interface TtyHooks {
  /** Send sig to every process of process group pgid. */
  signalPgrp(pgid: number, sig: number): void;
  /** POSIX orphaned process group: job control stop signals are not sent to it. */
  isOrphanedPgrp(pgid: number): boolean;
  /** The session of process group pgid, or null if there is no such group (TIOCSPGRP checks). */
  pgrpSession(pgid: number): Session | null | undefined;
}

const hooks: TtyHooks = { signalPgrp: () => {}, isOrphanedPgrp: () => false, pgrpSession: () => undefined };

export function setTtyHooks(h: Partial<TtyHooks>): void {
  Object.assign(hooks, h);
}

/** The hook ISIG and friends call (exported for the kernel and for tests). */
export function ttySignalHook(pgid: number, sig: number): void {
  if (pgid > 0) hooks.signalPgrp(pgid, sig);
}

function isCtrl(c: number): boolean {
  return c < 32 || c === 127;
}

export class Tty {
  termios: Termios = defaultTermios();
  winsize: Winsize = { row: 24, col: 80, xpixel: 0, ypixel: 0 };
  /** The session this is the controlling terminal of. */
  session: Session | null = null;
  /** Foreground process group (0: none). */
  pgid = 0;
  /** Completed canonical lines; an empty one is an EOF (^D at line start). */
  private lines: Uint8Array[] = [];
  /** The canonical line being edited. */
  private edit: number[] = [];
  /** Non-canonical input. */
  private readonly rawq = new ByteQueue(MAX_INPUT);
  /** Uptime of the last input byte (VTIME's inter-byte timer). */
  private lastInputMs = 0;
  private lnext = false;
  /** Output stopped by VSTOP (IXON); bytes wait here until VSTART. */
  private stopped = false;
  private held: Uint8Array[] = [];
  /** Where echo starts on the current line (ECHOE erases never go left of it). */
  private column = 0;
  hungup = false;

  constructor(
    readonly name: string,
    private readonly out: (bytes: Uint8Array) => void,
    private readonly uptime: () => number = () => 0,
  ) {}

  private get lflag(): number {
    return this.termios.lflag;
  }
  private get canonical(): boolean {
    return (this.termios.lflag & ICANON) !== 0;
  }

  /* ---------------- input side ---------------- */

  /** Bytes typed at the terminal. */
  input(bytes: Uint8Array): void {
    for (const c of bytes) this.inputChar(c);
    this.lastInputMs = this.uptime();
    this.notify();
  }

  private notify(): void {
    wakeup(this);
    selwakeup();
  }

  private inputChar(c0: number): void {
    const t = this.termios;
    let c = (t.iflag & ISTRIP) !== 0 ? c0 & 0x7f : c0;
    if (this.lnext) {
      this.lnext = false;
      this.echoErase(2);
      this.store(c);
      return;
    }
    if (this.isSignalChar(c)) return;
    if ((t.iflag & IXON) !== 0 && this.flowControl(c)) return;
    if (c === 13) {
      if ((t.iflag & IGNCR) !== 0) return;
      if ((t.iflag & ICRNL) !== 0) c = 10;
    } else if (c === 10 && (t.iflag & INLCR) !== 0) c = 13;
    if (this.canonical && this.editChar(c)) return;
    this.store(c);
  }

  private isCc(c: number, idx: number): boolean {
    const v = this.termios.cc[idx];
    return v !== VDISABLE && c === v;
  }

  /** ISIG: ^C ^\ ^Z signal the foreground group. */
  private isSignalChar(c: number): boolean {
    if ((this.lflag & ISIG) === 0) return false;
    let sig = 0;
    if (this.isCc(c, VINTR)) sig = SIGINT;
    else if (this.isCc(c, VQUIT)) sig = SIGQUIT;
    else if (this.isCc(c, VSUSP)) sig = SIGTSTP;
    if (!sig) return false;
    if ((this.lflag & NOFLSH) === 0) this.flushInput();
    if ((this.lflag & ECHO) !== 0) this.echoChar(c);
    ttySignalHook(this.pgid, sig);
    return true;
  }

  private flowControl(c: number): boolean {
    if (this.isCc(c, VSTOP)) {
      this.stopped = true;
      return true;
    }
    if (this.isCc(c, VSTART)) {
      this.restartOutput();
      return true;
    }
    return false;
  }

  /** Canonical-mode editing characters; true if c was consumed as one. */
  private editChar(c: number): boolean {
    const lf = this.lflag;
    if (this.isCc(c, VERASE)) return this.eraseChars(1, (lf & ECHOE) !== 0), true;
    if ((lf & IEXTEN) !== 0 && this.isCc(c, VWERASE)) return this.eraseWord(), true;
    if (this.isCc(c, VKILL)) return this.killLine(c), true;
    if ((lf & IEXTEN) !== 0 && this.isCc(c, VREPRINT)) return this.reprint(c), true;
    if ((lf & IEXTEN) !== 0 && this.isCc(c, VLNEXT)) {
      this.lnext = true;
      if ((lf & ECHO) !== 0 && (lf & ECHOCTL) !== 0) this.echoRaw(new Uint8Array([0x5e, 8]));
      return true;
    }
    if (this.isCc(c, VEOF)) {
      this.completeLine();
      return true;
    }
    if (c === 10 || this.isCc(c, VEOL) || this.isCc(c, VEOL2)) {
      this.edit.push(c);
      if ((lf & ECHO) !== 0 || (c === 10 && (lf & ECHONL) !== 0)) this.echoRaw(new Uint8Array([c]));
      this.completeLine();
      return true;
    }
    return false;
  }

  private completeLine(): void {
    this.lines.push(Uint8Array.from(this.edit));
    this.edit = [];
    this.column = 0;
  }

  /** An ordinary input byte. */
  private store(c: number): void {
    if (this.canonical) {
      if (this.edit.length >= MAX_CANON) return;
      this.edit.push(c);
    } else if (!this.rawq.pushByte(c)) return;
    if ((this.lflag & ECHO) !== 0) this.echoChar(c);
  }

  private eraseChars(n: number, visual: boolean): void {
    for (let i = 0; i < n && this.edit.length; i++) {
      const c = this.edit.pop() as number;
      if ((this.lflag & ECHO) === 0) continue;
      if (visual) this.echoErase(isCtrl(c) && (this.lflag & ECHOCTL) !== 0 && c !== 9 ? 2 : 1);
      else this.echoChar(this.termios.cc[VERASE]);
    }
  }

  private eraseWord(): void {
    let n = 0;
    let i = this.edit.length;
    while (i > 0 && (this.edit[i - 1] === 32 || this.edit[i - 1] === 9)) { i--; n++; }
    while (i > 0 && this.edit[i - 1] !== 32 && this.edit[i - 1] !== 9) { i--; n++; }
    this.eraseChars(n, true);
  }

  private killLine(c: number): void {
    const lf = this.lflag;
    if ((lf & ECHO) !== 0 && (lf & ECHOKE) !== 0 && (lf & ECHOE) !== 0) {
      this.eraseChars(this.edit.length, true);
      return;
    }
    this.edit = [];
    if ((lf & ECHO) !== 0) {
      this.echoChar(c);
      if ((lf & ECHOK) !== 0) this.echoRaw(new Uint8Array([10]));
    }
  }

  private reprint(c: number): void {
    if ((this.lflag & ECHO) === 0) return;
    this.echoChar(c);
    this.echoRaw(new Uint8Array([10]));
    for (const ch of this.edit) this.echoChar(ch);
  }

  /** Echo one input char, control chars as ^X under ECHOCTL. */
  private echoChar(c: number): void {
    if ((this.lflag & ECHOCTL) !== 0 && isCtrl(c) && c !== 9 && c !== 10 && c !== 13) {
      this.echoRaw(new Uint8Array([0x5e, c === 127 ? 0x3f : c + 0x40]));
      this.column += 2;
      return;
    }
    this.echoRaw(new Uint8Array([c]));
    this.column++;
  }

  private echoErase(width: number): void {
    const b: number[] = [];
    for (let i = 0; i < width; i++) b.push(8, 32, 8);
    this.echoRaw(Uint8Array.from(b));
  }

  private echoRaw(b: Uint8Array): void {
    this.output(b);
  }

  flushInput(): void {
    this.lines = [];
    this.edit = [];
    this.rawq.clear();
    this.lnext = false;
  }

  /** ICANON toggled: Linux moves pending input across so nothing typed is lost. */
  private modeChanged(wasCanonical: boolean): void {
    if (wasCanonical && !this.canonical) {
      for (const l of this.lines) this.rawq.push(l);
      this.rawq.push(Uint8Array.from(this.edit));
      this.lines = [];
      this.edit = [];
    } else if (!wasCanonical && this.canonical) {
      this.edit.push(...this.rawq.shift(this.rawq.length));
    }
  }

  /** Bytes a read could return now (FIONREAD). */
  get readable(): number {
    if (!this.canonical) return this.rawq.length;
    let n = 0;
    for (const l of this.lines) n += l.length;
    return n;
  }

  /** A read would not block (poll). */
  get readReady(): boolean {
    if (this.hungup) return true;
    if (this.canonical) return this.lines.length > 0;
    const vmin = this.termios.cc[VMIN];
    return this.rawq.length >= Math.max(1, vmin) || (vmin === 0 && this.rawq.length > 0);
  }

  /* ---------------- reading ---------------- */

  read(len: number, nonblock: boolean, io: IoCtx): Uint8Array {
    this.checkBackground(io, SIGTTIN, true);
    if (len === 0) return new Uint8Array(0);
    return this.canonical ? this.readCanonical(len, nonblock) : this.readRaw(len, nonblock, io);
  }

  private readCanonical(len: number, nonblock: boolean): Uint8Array {
    const line = this.lines[0];
    if (!line) {
      if (this.hungup) return new Uint8Array(0);
      if (nonblock) throw new SysError(EAGAIN);
      return tsleep(this);
    }
    if (line.length <= len) {
      this.lines.shift();
      return line;
    }
    this.lines[0] = line.subarray(len);
    return line.slice(0, len);
  }

  private readRaw(len: number, nonblock: boolean, io: IoCtx): Uint8Array {
    const cc = this.termios.cc;
    const vmin = cc[VMIN];
    const vtimeMs = cc[VTIME] * 100;
    const avail = this.rawq.length;
    const want = Math.min(vmin, len);
    if (avail > 0 && (avail >= want || nonblock)) return this.rawq.shift(len);
    if (this.hungup) return this.rawq.shift(len);
    if (vmin === 0 && vtimeMs === 0) return this.rawq.shift(len);
    if (nonblock) throw new SysError(EAGAIN);
    let deadline = Infinity;
    if (vtimeMs > 0) {
      /* VMIN = 0: overall timer from the read; VMIN > 0: inter-byte timer after the first byte. */
      if (vmin === 0) deadline = io.deadlineIn(vtimeMs);
      else if (avail > 0) deadline = this.lastInputMs + vtimeMs;
      if (deadline <= io.uptimeMs()) return this.rawq.shift(len);
    }
    return tsleep(this, deadline);
  }

  /* ---------------- writing ---------------- */

  write(data: Uint8Array, io: IoCtx): number {
    if ((this.lflag & TOSTOP) !== 0) this.checkBackground(io, SIGTTOU, false);
    if (this.hungup) throw new SysError(EIO);
    this.output(data);
    return data.length;
  }

  /** Output with OPOST processing (ONLCR, OCRNL, ONLRET, OLCUC). */
  private output(data: Uint8Array): void {
    const o = this.termios.oflag;
    let b = data;
    if ((o & OPOST) !== 0 && (o & (ONLCR | OCRNL | OLCUC | ONOCR)) !== 0) b = this.postProcess(data, o);
    if (this.stopped) {
      this.held.push(b.slice());
      return;
    }
    this.out(b);
  }

  private postProcess(data: Uint8Array, o: number): Uint8Array {
    const out: number[] = [];
    for (let c of data) {
      if (c === 10 && (o & ONLCR) !== 0) { out.push(13, 10); continue; }
      if (c === 13 && (o & OCRNL) !== 0) c = 10;
      else if ((o & OLCUC) !== 0 && c >= 97 && c <= 122) c -= 32;
      out.push(c);
    }
    return Uint8Array.from(out);
  }

  private restartOutput(): void {
    this.stopped = false;
    const held = this.held;
    this.held = [];
    for (const b of held) this.out(b);
  }

  /**
   * Background access by a member of this tty's session: SIGTTIN/SIGTTOU to its
   * group and a restart, or EIO when the signal is blocked/ignored (reads) or
   * the group is orphaned. Writes with the signal blocked or ignored go ahead.
   */
  private checkBackground(io: IoCtx, sig: number, reading: boolean): void {
    if (this.session === null || io.session !== this.session || this.pgid === 0) return;
    if (io.pgid === this.pgid) return;
    if (io.sigIgnoredOrBlocked(sig)) {
      if (reading) throw new SysError(EIO);
      return;
    }
    if (hooks.isOrphanedPgrp(io.pgid)) throw new SysError(EIO);
    ttySignalHook(io.pgid, sig);
    throw new SysError(ERESTARTSYS);
  }

  /* ---------------- control ---------------- */

  /** Become the controlling terminal of session s with foreground group pgid. */
  setCtty(s: Session, pgid: number): void {
    if (this.session && this.session !== s) this.session.ttyp = null;
    this.session = s;
    s.ttyp = this;
    this.pgid = pgid;
  }

  /** The session lost its leader (or TIOCNOTTY by the leader): the bond goes. */
  dropCtty(): void {
    if (this.session) this.session.ttyp = null;
    this.session = null;
    this.pgid = 0;
  }

  /**
   * The session leader exited: the bond with the session goes. The caller
   * (kern_exit) sends the foreground group its SIGHUP, as Linux's
   * disassociate_ctty does on exit.
   */
  sessionLeaderExit(): void {
    this.dropCtty();
  }

  /** TIOCNOTTY by the session leader: SIGHUP and SIGCONT to the foreground group, bond dropped. */
  private leaderDisconnect(): void {
    const pg = this.pgid;
    this.dropCtty();
    if (pg > 0) {
      ttySignalHook(pg, SIGHUP);
      ttySignalHook(pg, SIGCONT);
    }
  }

  setWinsize(ws: Winsize): void {
    const w = this.winsize;
    if (w.row === ws.row && w.col === ws.col && w.xpixel === ws.xpixel && w.ypixel === ws.ypixel) return;
    this.winsize = { ...ws };
    ttySignalHook(this.pgid, SIGWINCH);
  }

  setTermios(t: Termios, flush: boolean): void {
    const was = this.canonical;
    if (flush) this.flushInput();
    this.termios = { ...t, cc: t.cc.slice() };
    this.modeChanged(was);
    if ((t.iflag & IXON) === 0 && this.stopped) this.restartOutput();
    this.notify();
  }

  ioctl(cmd: number, arg: number, io: IoCtx): number {
    switch (cmd) {
      case TCGETS:
        io.copyout(arg, encodeTermios(this.termios));
        return 0;
      case TCSETS: case TCSETSW: case TCSETSF:
        this.checkBackground(io, SIGTTOU, false);
        this.setTermios(decodeTermios(io.copyin(arg, TERMIOS_SIZE)), cmd === TCSETSF);
        return 0;
      case TIOCGWINSZ:
        io.copyout(arg, encodeWinsize(this.winsize));
        return 0;
      case TIOCSWINSZ:
        this.setWinsize(decodeWinsize(io.copyin(arg, 8)));
        return 0;
      case TIOCGPGRP:
        this.requireCtty(io);
        io.copyout(arg, int32(this.pgid));
        return 0;
      case TIOCSPGRP: return this.ioctlSetPgrp(arg, io);
      case TIOCGSID:
        this.requireCtty(io);
        io.copyout(arg, int32(this.session ? this.session.sid : 0));
        return 0;
      case TIOCSCTTY: return this.ioctlSetCtty(arg, io);
      case TIOCNOTTY:
        if (io.session !== this.session) throw new SysError(ENOTTY);
        if (this.session && this.session.sid === io.pid) this.leaderDisconnect();
        else if (this.session) io.session.ttyp = null;
        return 0;
      case FIONREAD:
        io.copyout(arg, int32(this.readable));
        return 0;
      case TIOCOUTQ:
        io.copyout(arg, int32(0));
        return 0;
      case TCFLSH:
        if (arg === TCIFLUSH || arg === TCIOFLUSH) this.flushInput();
        else if (arg !== TCOFLUSH) throw new SysError(EINVAL);
        return 0;
      case TCXONC:
        if (arg === 0) this.stopped = true;
        else if (arg === 1) this.restartOutput();
        return 0;
      case TCSBRK: case TCSBRKP:
        return 0;
      case TIOCSTI:
        if (io.cred.euid !== 0 && io.session !== this.session) throw new SysError(EPERM);
        this.input(io.copyin(arg, 1));
        return 0;
      case TIOCEXCL: case TIOCNXCL:
        return 0;
      default:
        throw new SysError(ENOTTY);
    }
  }

  private requireCtty(io: IoCtx): void {
    if (io.session !== this.session) throw new SysError(ENOTTY);
  }

  private ioctlSetPgrp(arg: number, io: IoCtx): number {
    this.requireCtty(io);
    this.checkBackground(io, SIGTTOU, false);
    const pgid = new DataView(io.copyin(arg, 4).buffer).getInt32(0, true);
    if (pgid < 0) throw new SysError(EINVAL);
    /* undefined: the kernel did not connect the hook; trust the caller. */
    const s = hooks.pgrpSession(pgid);
    if (s === null) throw new SysError(ESRCH);
    if (s !== undefined && s !== this.session) throw new SysError(EPERM);
    this.pgid = pgid;
    return 0;
  }

  /**
   * TIOCSCTTY: a session leader without a terminal takes this one. Root may
   * steal it with arg 1 (Linux), or with any arg from init's session (sid 1),
   * which holds the console only because pid 1 opened it: getty's login_tty
   * passes 0.
   */
  private ioctlSetCtty(arg: number, io: IoCtx): number {
    const s = io.session;
    if (s.ttyp === this) return 0;
    if (s.sid !== io.pid || s.ttyp !== null) throw new SysError(EPERM);
    if (this.session && this.session !== s) {
      const steal = io.cred.euid === 0 && (arg === 1 || this.session.sid === 1);
      if (!steal) throw new SysError(EPERM);
    }
    this.setCtty(s, io.pgid);
    return 0;
  }

  /** Carrier lost: readers see EOF, writers EIO, the foreground group gets SIGHUP and SIGCONT. */
  hangup(): void {
    this.hungup = true;
    this.leaderDisconnect();
    this.notify();
  }

  pollReady(events: number): number {
    let r = 0;
    if (this.readReady) r |= 0x1 | 0x40; // POLLIN | POLLRDNORM
    r |= 0x4 | 0x100; // POLLOUT | POLLWRNORM: output never blocks
    if (this.hungup) r |= 0x10; // POLLHUP
    return r & (events | 0x18);
  }
}

function int32(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, v, true);
  return b;
}

export function encodeWinsize(w: Winsize): Uint8Array {
  const b = new Uint8Array(8);
  const dv = new DataView(b.buffer);
  dv.setUint16(0, w.row, true);
  dv.setUint16(2, w.col, true);
  dv.setUint16(4, w.xpixel, true);
  dv.setUint16(6, w.ypixel, true);
  return b;
}

export function decodeWinsize(b: Uint8Array): Winsize {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { row: dv.getUint16(0, true), col: dv.getUint16(2, true), xpixel: dv.getUint16(4, true), ypixel: dv.getUint16(6, true) };
}


/* st_dev of a tty file opened without a vnode (never, today; devfs gives one). */
const TTY_FSID = 0x5;

/** A tty as an open file: the FileOps the tty devices hand out. */
export class TtyFile implements FileOps {
  constructor(readonly tty: Tty, private readonly rdev: number) {}

  read(fp: File, len: number, off: number | null, io: IoCtx): Uint8Array {
    if (off !== null) throw new SysError(ESPIPE);
    return this.tty.read(len, fp.nonblock, io);
  }
  write(_fp: File, data: Uint8Array, off: number | null, io: IoCtx): number {
    if (off !== null) throw new SysError(ESPIPE);
    return this.tty.write(data, io);
  }
  ioctl(_fp: File, cmd: number, arg: number, io: IoCtx): number {
    return this.tty.ioctl(cmd, arg, io);
  }
  poll(_fp: File, events: number): number {
    return this.tty.pollReady(events);
  }
  stat(fp: File): Vattr {
    if (fp.vnode) return fp.vnode.getattr();
    const now = nanotime();
    return {
      type: VCHR, mode: 0o620, nlink: 1, uid: 0, gid: 0, size: 0, blocks: 0, blksize: 1024,
      ino: 0, fsid: TTY_FSID, rdev: this.rdev, atime: now, mtime: now, ctime: now, btime: now,
    };
  }
  close(): void {}
}
