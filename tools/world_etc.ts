/*
 * world_etc: BSD's `make distribution` for the world: userland/etc/ into
 * <root>/etc, plus the directories a running system expects. Kept apart
 * from buildworld.ts (which compiles and installs programs) so the two can
 * change independently; run it after buildWorld().
 *
 *   userland/etc/**            -> <root>/etc/**   (0644; master.passwd 0600)
 *   etc/master.passwd          -> also etc/passwd, without the secret fields
 *                                 (what pwd_mkdb -p writes)
 *   dev, proc, tmp (mount points), root, home, var/{run,log,mail,tmp}, mnt,
 *   usr/local/{bin,sbin}
 *
 * Files get the SOURCE_DATE_EPOCH mtime (as buildworld's do); files that an
 * earlier run installed and userland/etc no longer has are removed.
 *
 *   node --import tsx tools/world_etc.ts [--root build/world/root]
 */
import {
  chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ETC = join(REPO, 'userland', 'etc');
const EPOCH = Number(process.env.SOURCE_DATE_EPOCH ?? 1767225600);

/** Modes other than 0644, by path under etc/. */
const MODES: Record<string, number> = { 'master.passwd': 0o600 };

/** Directories a booted system uses, with their modes. */
const DIRS: ReadonlyArray<[string, number]> = [
  // Mount points: a disk image needs them (hostfs makes stand-ins when missing).
  ['dev', 0o555], ['proc', 0o555], ['tmp', 0o1777],
  ['root', 0o750], ['home', 0o755], ['mnt', 0o755], ['var', 0o755], ['var/run', 0o755],
  ['var/log', 0o755], ['var/mail', 0o775], ['var/tmp', 0o1777], ['usr/local', 0o755],
  ['usr/local/bin', 0o755], ['usr/local/sbin', 0o755],
];

/** passwd(5) from master.passwd(5): the password becomes "*", class/change/expire go. */
export function passwdFromMaster(master: string): string {
  const out: string[] = [];
  for (const line of master.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length !== 10) throw new Error(`master.passwd: bad line: ${line}`);
    const [name, , uid, gid, , , , gecos, home, shell] = f;
    out.push([name, '*', uid, gid, gecos, home, shell].join(':'));
  }
  return out.join('\n') + '\n';
}

function walk(dir: string, rel = ''): string[] {
  const files: string[] = [];
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) files.push(...walk(dir, r));
    else if (e.isFile()) files.push(r);
  }
  return files;
}

/** Write when the content differs; mode and epoch mtime either way. */
function put(dst: string, data: Buffer, mode: number): void {
  mkdirSync(dirname(dst), { recursive: true });
  if (!existsSync(dst) || !readFileSync(dst).equals(data)) {
    rmSync(dst, { force: true });
    writeFileSync(dst, data, { mode });
  }
  chmodSync(dst, mode);
  utimesSync(dst, EPOCH, EPOCH);
}

export interface EtcResult {
  /** paths relative to the root, sorted */
  installed: string[];
}

/** Install userland/etc into root/etc. Returns what it installed. */
export function installEtc(root: string): EtcResult {
  const installed: string[] = [];
  for (const rel of walk(ETC)) {
    put(join(root, 'etc', rel), readFileSync(join(ETC, rel)), MODES[rel] ?? 0o644);
    installed.push(`etc/${rel}`);
  }
  const master = join(ETC, 'master.passwd');
  if (existsSync(master)) {
    put(join(root, 'etc', 'passwd'), Buffer.from(passwdFromMaster(readFileSync(master, 'utf8'))), 0o644);
    installed.push('etc/passwd');
  }
  for (const [d, mode] of DIRS) {
    const p = join(root, d);
    mkdirSync(p, { recursive: true });
    chmodSync(p, mode);
  }
  installed.sort();

  // What an earlier run installed and this one did not is stale.
  const list = join(root, '..', 'etc-installed.txt');
  if (existsSync(list)) {
    const now = new Set(installed);
    for (const rel of readFileSync(list, 'utf8').split('\n').filter(Boolean)) {
      if (!now.has(rel)) rmSync(join(root, rel), { force: true });
    }
  }
  writeFileSync(list, installed.join('\n') + '\n');
  return { installed };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  let root = join(REPO, 'build', 'world', 'root');
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--root' && argv[i + 1]) root = resolve(argv[++i]);
    else {
      console.error('usage: world_etc [--root dir]');
      process.exit(64);
    }
  }
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    console.error(`world_etc: ${root}: no such directory (run tools/buildworld.ts first)`);
    process.exit(1);
  }
  const r = installEtc(root);
  console.log(`world_etc: ${r.installed.length} files -> ${relative(process.cwd(), join(root, 'etc')) || '.'}`);
}
