/*
 * bin/vkernel: the kernel core under Node with vkernel(7)'s command line,
 * the terminal as console and host files as disk images.
 */
import { parseCmdline, parseMemSize, checkCpulock, CmdlineError, USAGE, EX_USAGE } from '../../kernel/kern/cmdline.ts';
import type { BootConfig } from '../../kernel/kern/bootconfig.ts';
import { Kernel } from '../../kernel/kern/init_main.ts';
import { makeNodePlatform } from './host.ts';
import { Pidfile, PidfileError, EX_SOFTWARE } from './pidfile.ts';
import { MemImage, MemImageError } from './memimg.ts';
import { DiskOpenError, openHostDisks, type HostBlockStore } from './blockstore.ts';
import { NetOpenError, openNetBackends } from './netws.ts';
import * as os from 'node:os';

/* The real vkernel exits with 32 on reboot so a supervisor restarts it; we reboot in-process. */
const REBOOT_STATUS = 32;
const CTRL_BACKSLASH = 0x1c;

function usage(message: string): never {
  if (message) process.stderr.write(`${message}\n`);
  process.stderr.write(`${USAGE}\n`);
  process.exit(EX_USAGE);
}

function parse(argv: string[]): BootConfig {
  try {
    const r = parseCmdline(argv);
    if (r.kind === 'help') usage('');
    checkCpulock(r.config, os.cpus().length);
    return r.config;
  } catch (e) {
    if (!(e instanceof CmdlineError)) throw e;
    if (e.showUsage) usage(e.message);
    process.stderr.write(`${e.message}\n`);
    process.exit(e.status);
  }
}

class Terminal {
  private raw = false;

  enter(onInput: (b: Uint8Array) => void, onQuit: () => void): void {
    const stdin = process.stdin;
    if (stdin.isTTY) {
      // Raw, like the real vkernel's console: ^C goes to the guest; ^\ to us (ddb).
      stdin.setRawMode(true);
      this.raw = true;
    }
    stdin.on('data', (chunk: Buffer) => {
      if (this.raw && chunk.includes(CTRL_BACKSLASH)) {
        const parts = chunk.toString('latin1').split('\x1c');
        parts.forEach((p, i) => {
          if (p) onInput(Buffer.from(p, 'latin1'));
          if (i < parts.length - 1) onQuit();
        });
        return;
      }
      onInput(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
    });
    stdin.on('error', () => {});
  }

  leave(): void {
    if (this.raw) process.stdin.setRawMode(false);
    // stdin is a tty, a pipe or a file: only some of them can be unref'd.
    const stdin = process.stdin as NodeJS.ReadStream & { unref?: () => void };
    stdin.pause();
    stdin.unref?.();
  }
}

async function lockPidfile(path: string | undefined): Promise<Pidfile | null> {
  if (!path) return null;
  try {
    return await Pidfile.acquire(path);
  } catch (e) {
    if (!(e instanceof PidfileError)) throw e;
    process.stderr.write(`vkernel: ${e.message}\n`);
    process.exit(EX_SOFTWARE);
  }
}

/* -r/-c images; like the real vkernel, a missing or busy image ends it with status 1. */
async function openDisks(config: BootConfig): Promise<HostBlockStore[]> {
  try {
    return await openHostDisks(config.disks);
  } catch (e) {
    if (!(e instanceof DiskOpenError)) throw e;
    process.stderr.write(`vkernel: ${e.message}\n`);
    process.exit(1);
  }
}

/** -i (or the default memimg.NNNNNN): lock it; without -m its size is the memory size. */
async function openMemImage(config: BootConfig): Promise<MemImage> {
  try {
    /* VKERNEL_QUIET scripts want only the guest's output, so the host's own note goes too. */
    const quiet = process.env.VKERNEL_QUIET === '1';
    const img = await MemImage.open(config.memImage, config.memSize, config.memSizeGiven,
      (s) => { if (!quiet) process.stderr.write(`${s}\n`); });
    if (!config.memSizeGiven) config.memSize = parseMemSize(String(img.size));
    return img;
  } catch (e) {
    if (!(e instanceof MemImageError) && !(e instanceof CmdlineError)) throw e;
    process.stderr.write(`${e.message}\n`);
    process.exit(e.status);
  }
}

/* -I: relay connections, opened before boot so the link may be up by the time vke attaches. */
function openNets(config: BootConfig): ReturnType<typeof openNetBackends> {
  try {
    return openNetBackends(config.nets, { log: (s) => { if (process.env.VKERNEL_QUIET !== '1') process.stderr.write(`vkernel: ${s}\n`); } });
  } catch (e) {
    if (!(e instanceof NetOpenError)) throw e;
    process.stderr.write(`vkernel: ${e.message}\n`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const config = parse(process.argv.slice(2));
  const pidfile = await lockPidfile(config.pidfile);
  const memimg = await openMemImage(config);
  /* At an interactive terminal a panic stops in ddb (BSD's debugger_on_panic); scripts get the exit status. */
  if (process.stdin.isTTY && !config.kenv.has('debug.debugger_on_panic')) config.kenv.set('debug.debugger_on_panic', '1');
  const blockStores = await openDisks(config);
  const netBackends = openNets(config);
  const term = new Terminal();
  let kernel: Kernel;
  const platform = makeNodePlatform({
    quiet: process.env.VKERNEL_QUIET === '1',
    blockStores,
    netBackends,
    onHalt(status: number) {
      /* Physical memory goes to the image whenever the machine stops: halt, reboot, panic. */
      memimg.save(kernel.physmemBuffer());
      if (status === REBOOT_STATUS) {
        setImmediate(boot);
        return;
      }
      term.leave();
      for (const nb of netBackends) nb.close();
      memimg.release();
      pidfile?.release();
      process.exitCode = status;
      // Let pending stdout drain, then leave even if the guest left timers behind.
      setImmediate(() => process.exit(status));
    },
  });
  const boot = (): void => {
    kernel = new Kernel(platform, config);
    kernel.boot();
  };
  term.enter(
    (b) => kernel.consoleInput(b),
    () => kernel.hostSignal('SIGQUIT'),
  );
  // A resized terminal resizes the guest's console tty (TIOCGWINSZ + SIGWINCH).
  process.stdout.on('resize', () => {
    kernel.consTty?.setWinsize({ row: process.stdout.rows, col: process.stdout.columns, xpixel: 0, ypixel: 0 });
  });
  process.on('SIGTERM', () => kernel.hostSignal('SIGTERM'));
  /* ^\ at a raw terminal arrives as a byte (above); kill -QUIT works everywhere. */
  process.on('SIGQUIT', () => kernel.hostSignal('SIGQUIT'));
  process.on('SIGINT', () => kernel.hostSignal('SIGINT'));
  boot();
}

await main();
