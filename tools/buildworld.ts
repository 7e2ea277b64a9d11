/*
 * buildworld: compile userland/ (the BSD world in C) with Debian's
 * riscv64-linux-gnu-gcc into a staging tree, build/world/root by default:
 *
 *   userland/bin/<prog>/      -> /bin/<prog>
 *   userland/sbin/<prog>/     -> /sbin/<prog>
 *   userland/usr.bin/<prog>/  -> /usr/bin/<prog>
 *   userland/usr.sbin/<prog>/ -> /usr/sbin/<prog>
 *   userland/libexec/<prog>/  -> /usr/libexec/<prog>
 *   <prog>.N man pages        -> /usr/share/man/manN/<prog>.N
 *   userland/lib/libutil/     -> a static archive every program links with
 *
 * plus glibc's loader and the shared libraries the programs need, from the
 * cross sysroot (/lib/ld-linux-riscv64-lp64d.so.1, /lib/riscv64-linux-gnu/).
 *
 * A program directory may hold a `build.conf` of `key=value` lines:
 *   links=[ ...     more names for the same binary (hard links in the tree)
 *   ldadd=-lm       extra link arguments
 *   cflags=...      extra compile arguments
 *   static=1        link statically (init and sh may want this)
 *   mode=4755       the installed mode (octal; default 0755): su, passwd
 *
 * Incremental: each output has a `.hash` beside it in obj/ (sources, flags,
 * compiler identity, libutil); an unchanged hash means no compile.
 * Reproducible: no paths (-ffile-prefix-map) nor dates (SOURCE_DATE_EPOCH)
 * end up in the binaries, which are stripped; installed files get the
 * SOURCE_DATE_EPOCH mtime.  Parallel: `-j N` compilers (default 2).
 *
 *   node --import tsx tools/buildworld.ts [--out build/world] [-j N] [-v]
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync, copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync,
  renameSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { installEtc } from './world_etc.ts';
import { EPOCH } from './world_epoch.ts';
import { packImages } from './world_images.ts';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const USERLAND = join(REPO, 'userland');
export const CROSS_SYSROOT = '/usr/riscv64-linux-gnu';
export const CC = 'riscv64-linux-gnu-gcc';
const AR = 'riscv64-linux-gnu-ar';
const READELF = 'riscv64-linux-gnu-readelf';
const INTERP = 'ld-linux-riscv64-lp64d.so.1';
const MULTIARCH = 'lib/riscv64-linux-gnu';

/** Source directory -> install directory in the tree. */
export const SECTIONS: ReadonlyArray<[string, string]> = [
  ['bin', 'bin'],
  ['sbin', 'sbin'],
  ['usr.bin', 'usr/bin'],
  ['usr.sbin', 'usr/sbin'],
  ['libexec', 'usr/libexec'],
];

/** Libraries copied even when no program names them: NSS is dlopen()ed by getpwnam(). */
const ALWAYS_LIBS = ['libc.so.6', 'libm.so.6', 'libresolv.so.2', 'libnss_files.so.2', 'libnss_dns.so.2'];

const HOST_LOCALE = '/usr/lib/locale/C.utf8';

/** 2026-01-01T00:00:00Z unless the environment says otherwise. */

const CFLAGS = [
  '-std=c11', '-O2', '-Wall', '-Wextra', '-Wno-unused-parameter',
  '-D_DEFAULT_SOURCE', '-D_XOPEN_SOURCE=700', '-D_FILE_OFFSET_BITS=64',
  `-ffile-prefix-map=${REPO}=.`, '-fno-ident',
];
const LDFLAGS = ['-s', '-Wl,--build-id=sha1'];

export interface Program {
  name: string;
  /** e.g. "bin" or "usr.bin" */
  section: string;
  /** install directory relative to the root, e.g. "usr/bin" */
  installDir: string;
  dir: string;
  sources: string[];
  /** every file that influences the binary (sources, local headers, build.conf) */
  inputs: string[];
  manPages: string[];
  links: string[];
  ldadd: string[];
  cflags: string[];
  static: boolean;
  /** installed mode, from build.conf's mode= (octal); 0755 when absent */
  mode?: number;
}

export interface BuildOptions {
  out?: string;
  jobs?: number;
  log?: (s: string) => void;
  /** only programs whose name matches (the rest stay as they are) */
  filter?: RegExp;
}

export interface BuildResult {
  root: string;
  built: string[];
  upToDate: number;
  errors: string[];
  /** compiler warnings, by program */
  warnings: string[];
}

function readConf(file: string): Record<string, string> {
  const conf: Record<string, string> = {};
  if (!existsSync(file)) return conf;
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    const eq = line.indexOf('=');
    if (eq > 0) conf[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return conf;
}

const words = (s: string | undefined): string[] => (s ? s.split(/\s+/).filter(Boolean) : []);

/** Every program of the world, sorted by section then name. */
export function listPrograms(): Program[] {
  const progs: Program[] = [];
  for (const [section, installDir] of SECTIONS) {
    const sdir = join(USERLAND, section);
    if (!existsSync(sdir)) continue;
    for (const name of readdirSync(sdir).sort()) {
      const dir = join(sdir, name);
      if (!statSync(dir).isDirectory()) continue;
      const files = readdirSync(dir).sort();
      const sources = files.filter((f) => f.endsWith('.c')).map((f) => join(dir, f));
      if (sources.length === 0) continue;
      const conf = readConf(join(dir, 'build.conf'));
      progs.push({
        name, section, installDir, dir, sources,
        inputs: files.filter((f) => /\.(c|h)$|^build\.conf$/.test(f)).map((f) => join(dir, f)),
        manPages: files.filter((f) => /\.[1-9]$/.test(f)).map((f) => join(dir, f)),
        links: words(conf.links),
        ldadd: words(conf.ldadd),
        cflags: words(conf.cflags),
        static: conf.static === '1',
        mode: /^[0-7]{3,4}$/.test(conf.mode ?? '') ? parseInt(conf.mode, 8) : undefined,
      });
    }
  }
  return progs;
}

const LIBUTIL = join(USERLAND, 'lib', 'libutil');

function hashFiles(h: ReturnType<typeof createHash>, files: string[]): void {
  for (const f of files) {
    h.update(relative(REPO, f) + '\0');
    h.update(readFileSync(f));
    h.update('\0');
  }
}

let ccIdentity: string | undefined;
function compilerIdentity(): string {
  ccIdentity ??= execFileSync(CC, ['--version'], { encoding: 'utf8' }).split('\n')[0] +
    createHash('sha256').update(readFileSync(join(CROSS_SYSROOT, 'lib', 'libc.so.6'))).digest('hex');
  return ccIdentity;
}

function run(cmd: string, args: string[], cwd = REPO): Promise<{ ok: boolean; stderr: string }> {
  return new Promise((res) => {
    execFile(cmd, args, {
      cwd, maxBuffer: 1 << 24,
      env: { ...process.env, SOURCE_DATE_EPOCH: String(EPOCH), LC_ALL: 'C' },
    }, (err, _o, stderr) => res({ ok: !err, stderr: String(stderr) }));
  });
}

/** Run tasks at most `jobs` at a time. */
async function pool<T>(items: T[], jobs: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
}

/** A lock directory, so concurrent test files do not build over each other. */
async function withLock<T>(out: string, fn: () => Promise<T>): Promise<T> {
  const lock = join(out, '.lock');
  mkdirSync(out, { recursive: true });
  for (let i = 0; ; i++) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      // A lock whose owner died is stale.
      let owner = 0;
      try { owner = Number(readFileSync(join(lock, 'pid'), 'utf8')); } catch { /* being written */ }
      let alive = true;
      if (owner) { try { process.kill(owner, 0); } catch { alive = false; } }
      if (!alive || i > 3000) { rmSync(lock, { recursive: true, force: true }); continue; }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Build libutil.a when its sources changed; returns its hash (part of every program's). */
async function buildLibutil(obj: string, jobs: number, log: (s: string) => void, errors: string[]): Promise<string> {
  const srcs = readdirSync(LIBUTIL).filter((f) => f.endsWith('.c')).sort().map((f) => join(LIBUTIL, f));
  const hdrs = readdirSync(LIBUTIL).filter((f) => f.endsWith('.h')).sort().map((f) => join(LIBUTIL, f));
  const h = createHash('sha256');
  h.update(compilerIdentity() + '\0' + CFLAGS.join(' ') + '\0');
  hashFiles(h, [...srcs, ...hdrs]);
  const digest = h.digest('hex');
  const odir = join(obj, 'lib', 'libutil');
  const lib = join(odir, 'libutil.a');
  const hashFile = lib + '.hash';
  if (existsSync(lib) && existsSync(hashFile) && readFileSync(hashFile, 'utf8') === digest) return digest;
  log('ar libutil.a');
  mkdirSync(odir, { recursive: true });
  const objs: string[] = [];
  await pool(srcs, jobs, async (src) => {
    const o = join(odir, src.slice(LIBUTIL.length + 1).replace(/\.c$/, '.o'));
    objs.push(o);
    const r = await run(CC, [...CFLAGS, `-frandom-seed=${relative(REPO, src)}`, '-I', LIBUTIL, '-c', '-o', o, src]);
    if (!r.ok) errors.push(`libutil: ${relative(REPO, src)}\n${r.stderr}`);
  });
  objs.sort();
  rmSync(lib, { force: true });
  // D: deterministic (zero uid/gid/mtime in the archive).
  const r = await run(AR, ['rcsD', lib, ...objs]);
  if (!r.ok) errors.push(`libutil: ar failed\n${r.stderr}`);
  writeFileSync(hashFile, digest);
  return digest;
}

function programHash(p: Program, libutilHash: string): string {
  const h = createHash('sha256');
  h.update([compilerIdentity(), CFLAGS.join(' '), LDFLAGS.join(' '), p.cflags.join(' '),
    p.ldadd.join(' '), String(p.static), libutilHash].join('\0'));
  hashFiles(h, p.inputs);
  return h.digest('hex');
}

/** Link the objects of one program; writes obj/<section>/<name>/<name> atomically. */
async function compileProgram(p: Program, obj: string, libutilHash: string, libdir: string):
  Promise<{ built: boolean; error?: string; warning?: string }> {
  const odir = join(obj, p.section, p.name);
  const bin = join(odir, p.name);
  const hashFile = bin + '.hash';
  const digest = programHash(p, libutilHash);
  if (existsSync(bin) && existsSync(hashFile) && readFileSync(hashFile, 'utf8') === digest) return { built: false };
  mkdirSync(odir, { recursive: true });
  const tmp = `${bin}.tmp${process.pid}`;
  const args = [
    ...CFLAGS, ...p.cflags, `-frandom-seed=${p.section}/${p.name}`,
    '-I', LIBUTIL, '-I', p.dir,
    ...(p.static ? ['-static'] : []),
    '-o', tmp, ...p.sources.map((s) => relative(REPO, s)),
    ...LDFLAGS, '-L', libdir, '-lutil_bsd', ...p.ldadd,
  ];
  const r = await run(CC, args);
  if (!r.ok) {
    rmSync(tmp, { force: true });
    return { built: false, error: `${p.section}/${p.name}: ${CC} failed\n${r.stderr}` };
  }
  renameSync(tmp, bin);
  writeFileSync(hashFile, digest);
  return { built: true, warning: r.stderr.trim() ? `${p.section}/${p.name}:\n${r.stderr}` : undefined };
}

/** Copy when the content differs; give the file the epoch mtime either way. */
function install(src: string, dst: string, mode: number): void {
  mkdirSync(dirname(dst), { recursive: true });
  const same = existsSync(dst) && statSync(dst).size === statSync(src).size &&
    readFileSync(dst).equals(readFileSync(src));
  if (!same) {
    rmSync(dst, { force: true });
    copyFileSync(src, dst);
  }
  chmodSync(dst, mode);
  utimesSync(dst, EPOCH, EPOCH);
}

function neededLibs(bin: string): string[] {
  try {
    const out = execFileSync(READELF, ['-d', bin], { encoding: 'utf8' });
    return [...out.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]);
  } catch {
    return [];
  }
}

/** Build the world. Safe to call from several processes at once (they take turns). */
export async function buildWorld(opts: BuildOptions = {}): Promise<BuildResult> {
  const out = resolve(REPO, opts.out ?? join('build', 'world'));
  const jobs = opts.jobs ?? 2;
  const log = opts.log ?? (() => {});
  return withLock(out, async () => {
    const root = join(out, 'root');
    const obj = join(out, 'obj');
    const errors: string[] = [];
    const warnings: string[] = [];
    const built: string[] = [];
    let upToDate = 0;

    const libutilHash = await buildLibutil(obj, jobs, log, errors);
    // The archive is named libutil_bsd.a at link time: glibc has its own libutil.
    const libdir = join(obj, 'lib', 'libutil', 'link');
    mkdirSync(libdir, { recursive: true });
    const linkName = join(libdir, 'libutil_bsd.a');
    rmSync(linkName, { force: true });
    copyFileSync(join(obj, 'lib', 'libutil', 'libutil.a'), linkName);

    const all = listPrograms();
    const progs = all.filter((p) => !opts.filter || opts.filter.test(p.name));
    // Biggest sources first: a better finish with 2 jobs.
    const order = [...progs].sort((a, b) =>
      b.sources.reduce((n, s) => n + statSync(s).size, 0) - a.sources.reduce((n, s) => n + statSync(s).size, 0));
    await pool(order, jobs, async (p) => {
      const r = await compileProgram(p, obj, libutilHash, libdir);
      if (r.error) errors.push(r.error);
      if (r.warning) warnings.push(r.warning);
      if (r.built) { built.push(`${p.installDir}/${p.name}`); log(`cc ${p.installDir}/${p.name}`); }
      else if (!r.error) upToDate++;
    });

    // The tree: programs, their links, man pages.
    const installed = new Set<string>();
    const libs = new Set<string>(ALWAYS_LIBS);
    for (const p of all) {
      const bin = join(obj, p.section, p.name, p.name);
      if (!existsSync(bin)) continue;
      const dst = join(root, p.installDir, p.name);
      install(bin, dst, p.mode ?? 0o755);
      installed.add(dst);
      for (const l of p.links) {
        const ldst = join(root, p.installDir, l);
        const same = existsSync(ldst) && statSync(ldst).ino === statSync(dst).ino;
        if (!same) { rmSync(ldst, { force: true }); linkSync(dst, ldst); }
        installed.add(ldst);
      }
      for (const m of p.manPages) {
        const sect = m.slice(m.lastIndexOf('.') + 1);
        const mdir = join(root, 'usr', 'share', 'man', `man${sect}`);
        const mdst = join(mdir, m.slice(m.lastIndexOf('/') + 1));
        install(m, mdst, 0o644);
        installed.add(mdst);
        // The page of a program also documents its other names (man sha256, man egrep).
        if (m.slice(m.lastIndexOf('/') + 1) !== `${p.name}.${sect}`) continue;
        for (const l of p.links) {
          const ldst = join(mdir, `${l}.${sect}`);
          const same = existsSync(ldst) && statSync(ldst).ino === statSync(mdst).ino;
          if (!same) { rmSync(ldst, { force: true }); linkSync(mdst, ldst); }
          installed.add(ldst);
        }
      }
      for (const l of neededLibs(dst)) libs.add(l);
    }

    // glibc's runtime.
    const sys = join(CROSS_SYSROOT, 'lib');
    install(join(sys, INTERP), join(root, 'lib', INTERP), 0o755);
    installed.add(join(root, 'lib', INTERP));
    for (const l of [...libs].sort()) {
      if (l === INTERP || !existsSync(join(sys, l))) continue;
      const dst = join(root, MULTIARCH, l);
      install(join(sys, l), dst, 0o755);
      installed.add(dst);
    }

    // The C.UTF-8 locale (arch-independent data, from the host's glibc of the
    // same version) so that -m, cut -c and friends can count characters.
    if (existsSync(HOST_LOCALE)) {
      const walk = (rel: string): void => {
        for (const f of readdirSync(join(HOST_LOCALE, rel)).sort()) {
          const src = join(HOST_LOCALE, rel, f);
          if (statSync(src).isDirectory()) { walk(join(rel, f)); continue; }
          const dst = join(root, 'usr', 'lib', 'locale', 'C.utf8', rel, f);
          install(src, dst, 0o644);
          installed.add(dst);
        }
      };
      walk('');
    }

    // Whatever an earlier build installed and this one did not is stale.
    const manifestFile = join(out, 'installed.txt');
    if (existsSync(manifestFile)) {
      for (const rel of readFileSync(manifestFile, 'utf8').split('\n').filter(Boolean)) {
        const f = join(root, rel);
        if (!installed.has(f) && existsSync(f)) unlinkSync(f);
      }
    }
    // /etc and the empty directories a running system needs (dev, proc, tmp).
    const etc = installEtc(root).installed;
    const rels = [...new Set([...[...installed].map((f) => relative(root, f)), ...etc])].sort();
    writeFileSync(manifestFile, rels.join('\n') + '\n');
    writeManifest(out, root, rels);
    return { root, built: built.sort(), upToDate, errors, warnings };
  });
}

/** build/world/manifest.json: every installed file with its size and sha256. */
function writeManifest(out: string, root: string, rels: string[]): void {
  const files = rels.map((rel) => {
    const data = readFileSync(join(root, rel));
    return { path: '/' + rel, size: data.length, sha256: createHash('sha256').update(data).digest('hex') };
  });
  const tmp = join(out, 'manifest.json.tmp');
  writeFileSync(tmp, JSON.stringify({ epoch: EPOCH, files }, null, 1) + '\n');
  renameSync(tmp, join(out, 'manifest.json'));
}

function usage(): never {
  console.error('usage: buildworld [-v] [-j jobs] [--out dir] [--only regex]');
  process.exit(64);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const opts: BuildOptions = {};
  let verbose = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out' || a === '-o') opts.out = argv[++i] ?? usage();
    else if (a === '-j') opts.jobs = Number(argv[++i] ?? usage());
    else if (a === '--only') opts.filter = new RegExp(argv[++i] ?? usage());
    else if (a === '-v') verbose = true;
    else usage();
  }
  const t0 = performance.now();
  opts.log = (s) => console.log(s);
  const r = await buildWorld(opts);
  for (const w of r.warnings) if (verbose || w) console.error(`warning: ${w}`);
  for (const e of r.errors) console.error(e);
  console.log(`buildworld: ${r.built.length} built, ${r.upToDate} up to date, ${r.errors.length} failed ` +
    `(${((performance.now() - t0) / 1000).toFixed(1)} s) -> ${relative(process.cwd(), r.root) || '.'}`);
  process.exitCode = r.errors.length ? 1 : 0;
  if (!r.errors.length && !opts.filter) {
    for (const i of packImages(r.root, join(REPO, 'public', 'images'), EPOCH)) {
      console.log(`buildworld: public/images/${i.name} ${i.size} bytes`);
    }
  }
}
