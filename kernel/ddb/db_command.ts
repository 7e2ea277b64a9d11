/*
 * ddb's command table and parser (BSD's db_command.c): `command[/modifiers]
 * [arguments]`. An empty line repeats examine (continuing where it stopped)
 * and step, as in BSD. Errors print and return to the prompt; nothing a
 * debugger user types can panic the kernel, except `panic`.
 */
import { DbMemError, dbReadValue, dbWrite, leBytes } from './db_access.ts';
import { XREG } from './db_disasm.ts';
import { DbFmtError, dbExamine, dbSearch, parseFmt } from './db_examine.ts';
import { DbExprError, type DbVars, dbExpr, splitArgs, splitWords } from './db_expr.ts';
import type { Ddb } from './db_main.ts';
import { dbPs } from './db_ps.ts';
import { dbShow } from './db_show.ts';
import { dbTrace } from './db_trace.ts';
import type { Thread } from '../kern/proc.ts';

export class DbError extends Error {}

type DbCmd = (db: Ddb, mods: string, args: string) => void;

const REGNO = new Map<string, number>(XREG.map((n, i) => [n, i]));
REGNO.set('fp', 8);
for (let i = 0; i < 32; i++) REGNO.set(`x${i}`, i);

/** $variables: the selected thread's registers and ddb's own. */
export function dbVars(db: Ddb): DbVars {
  return {
    radix: db.radix,
    get(name: string): bigint | undefined {
      const td = db.td;
      if (name === 'radix') return BigInt(db.radix);
      if (name === 'proc' || name === 'pid') return BigInt(td?.proc.pid ?? 0);
      if (name === 'thread' || name === 'tid') return BigInt(td?.tid ?? 0);
      if (!td) return undefined;
      if (name === 'pc') return BigInt(td.ctx.pc);
      const r = REGNO.get(name);
      return r === undefined ? undefined : BigInt.asUintN(64, td.ctx.getX(r));
    },
    deref: (addr) => dbReadValue(db.space(), Number(addr), 8),
  };
}

export function expr(db: Ddb, s: string): bigint {
  if (s.trim() === '') throw new DbError('Missing expression');
  return dbExpr(s, dbVars(db));
}

/** A pid as BSD's ddb reads one: digits are decimal whatever the radix. */
export function pidArg(db: Ddb, s: string): number {
  const t = s.trim();
  return /^\d+$/.test(t) ? Number(t) : Number(expr(db, t));
}

function needThread(db: Ddb): Thread {
  if (!db.td) throw new DbError('No thread selected');
  return db.td;
}

function threadOf(db: Ddb, args: string): Thread {
  if (args.trim() === '') return needThread(db);
  const p = db.k.procs.procs.get(pidArg(db, args));
  const td = p?.liveThreads()[0];
  if (!td) throw new DbError(`No such process: ${args.trim()}`);
  return td;
}

/* ---- the commands ---- */

const HELP = [
  'help                      this list',
  'ps                        process list (also: show all procs)',
  'show registers|proc [pid]|map [pid]|mounts|sysctl [name]|kenv|breaks|msgbuf|all procs',
  'trace [pid] / where       backtrace: pc, ra, then the frame-pointer chain',
  'x/[bhlwg][xzduocsi][P] addr[,count]   examine (P: physical address)',
  'print/[xzduo] expr        expressions: numbers (radix 16; 0t decimal), $pc $a0 ..., + - * / % *addr',
  'set $var = expr           registers of the selected thread, $radix, $proc (select a process)',
  'write/[bhlg] addr expr... write memory (only with -U)',
  'search/[bhlg] addr value [mask] [,count]',
  'break addr | delete addr|#n   user breakpoints in the selected process',
  'step [count] / continue   (s, c)',
  'reset | reboot | halt | panic',
];

function cmdExamine(db: Ddb, mods: string, args: string): void {
  db.fmt = parseFmt(mods, db.fmt);
  const [a, c] = splitArgs(args);
  const addr = a ? Number(expr(db, a)) : db.nextAddr;
  const count = c ? Number(expr(db, c)) : 1;
  const r = dbExamine(db.space(db.fmt.phys), addr, count, db.fmt);
  for (const l of r.lines) db.println(l);
  db.nextAddr = r.next;
}

function cmdPrint(db: Ddb, mods: string, args: string): void {
  const v = expr(db, args);
  const signed = BigInt.asIntN(64, v);
  const m = mods || (db.radix === 10 ? 'd' : db.radix === 8 ? 'o' : 'x');
  const out = m === 'd' ? signed.toString(10) : m === 'u' ? v.toString(10) : m === 'o' ? v.toString(8) :
    m === 'z' ? (signed < 0n ? `-${(-signed).toString(16)}` : signed.toString(16)) : v.toString(16);
  db.println(out);
}

function cmdSet(db: Ddb, _mods: string, args: string): void {
  const m = /^\s*\$([A-Za-z_][A-Za-z0-9_]*)\s*=?\s*(.*)$/.exec(args);
  if (!m) throw new DbError('Usage: set $variable = expression');
  const [, name, rhs] = m;
  if (name === 'proc' || name === 'pid') {
    db.td = threadOf(db, rhs);
    db.println(`selected pid ${db.td.proc.pid} tid ${db.td.tid} (${db.td.proc.comm})`);
    return;
  }
  if (name === 'thread' || name === 'tid') {
    const td = db.k.procs.threads.get(pidArg(db, rhs));
    if (!td) throw new DbError(`No such thread: ${rhs.trim()}`);
    db.td = td;
    return;
  }
  const v = expr(db, rhs);
  if (name === 'radix') {
    if (![8, 10, 16].includes(Number(v))) throw new DbError('Bad radix');
    db.radix = Number(v);
    return;
  }
  const td = needThread(db);
  if (name === 'pc') td.ctx.pc = Number(v & 0xffffffffn);
  else if (REGNO.has(name)) td.ctx.setX(REGNO.get(name) as number, v);
  else throw new DbError(`Unknown variable $${name}`);
}

function cmdWrite(db: Ddb, mods: string, args: string): void {
  if (!db.k.config.kmemWritable) throw new DbError('write: memory is read-only (boot with -U to allow writes)');
  const f = parseFmt(mods, { size: 4, display: 'x', phys: false });
  const [a, ...vals] = splitWords(args);
  if (!a || vals.length === 0) throw new DbError('Usage: write/[bhlg] addr value...');
  let at = Number(expr(db, a));
  const s = db.space(f.phys);
  for (const t of vals) {
    const v = expr(db, t);
    const old = dbReadValue(s, at, f.size);
    dbWrite(s, at, leBytes(v, f.size));
    db.println(`0x${at.toString(16)}:\t0x${old.toString(16)}\t=\t0x${BigInt.asUintN(f.size * 8, v).toString(16)}`);
    at += f.size;
  }
}

function cmdSearch(db: Ddb, mods: string, args: string): void {
  const f = parseFmt(mods, { size: 4, display: 'x', phys: false });
  const [head, c] = splitArgs(args);
  const [a, v, mask] = splitWords(head ?? '');
  if (!a || !v) throw new DbError('Usage: search/[bhlg] addr value [mask] [,count]');
  const count = c ? Number(expr(db, c)) : 0x10000;
  const m = mask ? expr(db, mask) : (1n << BigInt(f.size * 8)) - 1n;
  const at = dbSearch(db.space(f.phys), Number(expr(db, a)), f.size, expr(db, v), m, count);
  if (at < 0) db.println('Not found');
  else {
    db.println(`0x${at.toString(16)}`);
    db.nextAddr = at + f.size;
  }
}

function cmdBreak(db: Ddb, _mods: string, args: string): void {
  const td = needThread(db);
  const va = Number(expr(db, args));
  const bp = db.bps.add(td.proc.vm, td.proc.pid, va);
  db.println(`breakpoint #${bp.n} at 0x${va.toString(16)} in pid ${td.proc.pid}`);
}

function cmdDelete(db: Ddb, _mods: string, args: string): void {
  const t = args.trim();
  const ok = t.startsWith('#')
    ? db.bps.delete((b) => b.n === Number(t.slice(1)))
    : db.bps.delete((b) => b.va === Number(expr(db, t)) && (!db.td || b.vm === db.td.proc.vm));
  if (!ok) throw new DbError('Not set');
}

function cmdStep(db: Ddb, _mods: string, args: string): void {
  needThread(db);
  db.leave('step', args.trim() ? Number(expr(db, args)) : 1);
}

const COMMANDS: Record<string, DbCmd> = {
  help: (db) => { for (const l of HELP) db.println(l); },
  ps: (db) => { for (const l of dbPs(db.k, db.td)) db.println(l); },
  show: (db, mods, args) => dbShow(db, mods, args),
  trace: (db, _m, args) => { const td = threadOf(db, args); for (const l of dbTrace(td, db.spaceOf(td.proc.vm))) db.println(l); },
  examine: cmdExamine,
  print: cmdPrint,
  set: cmdSet,
  write: cmdWrite,
  search: cmdSearch,
  break: cmdBreak,
  delete: cmdDelete,
  step: cmdStep,
  continue: (db) => db.leave('continue'),
  reset: (db) => db.k.cpuReset(),
  reboot: (db) => { db.leave('continue'); db.k.shutdown('reboot', 32); },
  halt: (db) => { db.leave('continue'); db.k.shutdown('halt', 0); },
  panic: (db) => { db.leave('continue'); db.k.panic(new Error('from debugger')); },
};

const ALIASES: Record<string, string> = {
  x: 'examine', p: 'print', w: 'write', b: 'break', d: 'delete', s: 'step', c: 'continue', cont: 'continue',
  where: 'trace', bt: 'trace',
};

/** Run one command line. */
export function dbCommand(db: Ddb, line: string): void {
  let text = line.trim();
  if (text === '') {
    if (!/^(x|examine|s|step)\b/.test(db.lastCommand)) return;
    text = db.lastCommand.replace(/^(\S+).*$/, '$1');
  }
  const m = /^([A-Za-z]+)(?:\/(\S*))?\s*(.*)$/.exec(text);
  if (!m) {
    db.println('No such command');
    return;
  }
  const name = ALIASES[m[1]] ?? m[1];
  const cmd = COMMANDS[name];
  if (!cmd) {
    db.println('No such command');
    return;
  }
  db.lastCommand = text;
  runCmd(db, cmd, m[2] ?? '', m[3]);
}

function runCmd(db: Ddb, cmd: DbCmd, mods: string, args: string): void {
  try {
    cmd(db, mods, args);
  } catch (e) {
    if (e instanceof DbError || e instanceof DbExprError || e instanceof DbMemError || e instanceof DbFmtError) {
      db.println(e.message);
    } else {
      db.println(`ddb: internal error: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
