/*
 * ddb expressions (BSD's db_expr.c): numbers in the current radix (16 by
 * default; 0x hex, 0t decimal, 0o octal), $variables (the selected thread's
 * registers $pc $ra $sp $a0 … $x0..$x31 and ddb's own like $radix), unary
 * minus, * (the 64-bit word at an address), + - * / % and parentheses.
 * Values are 64-bit (BigInt, wrapped as the machine would).
 */
export class DbExprError extends Error {}

export interface DbVars {
  get(name: string): bigint | undefined;
  radix: number;
  /** *addr: the 8-byte word there (may throw). */
  deref(addr: bigint): bigint;
}

const wrap = (v: bigint): bigint => BigInt.asUintN(64, v);

class Parser {
  private i = 0;
  constructor(private readonly s: string, private readonly vars: DbVars) {}

  private ws(): void {
    while (this.s[this.i] === ' ' || this.s[this.i] === '\t') this.i++;
  }

  private peek(): string {
    this.ws();
    return this.s[this.i] ?? '';
  }

  done(): boolean {
    return this.peek() === '';
  }

  rest(): string {
    return this.s.slice(this.i);
  }

  expr(): bigint {
    let v = this.term();
    for (let c = this.peek(); c === '+' || c === '-'; c = this.peek()) {
      this.i++;
      const r = this.term();
      v = wrap(c === '+' ? v + r : v - r);
    }
    return v;
  }

  private term(): bigint {
    let v = this.unary();
    for (let c = this.peek(); c === '*' || c === '/' || c === '%'; c = this.peek()) {
      this.i++;
      const r = this.unary();
      if (c !== '*' && r === 0n) throw new DbExprError('Division by 0');
      v = wrap(c === '*' ? v * r : c === '/' ? v / r : v % r);
    }
    return v;
  }

  private unary(): bigint {
    const c = this.peek();
    if (c === '-') { this.i++; return wrap(-this.unary()); }
    if (c === '*') { this.i++; return this.vars.deref(this.unary()); }
    if (c === '(') {
      this.i++;
      const v = this.expr();
      if (this.peek() !== ')') throw new DbExprError('Syntax error: missing )');
      this.i++;
      return v;
    }
    if (c === '$') return this.variable();
    return this.number();
  }

  private variable(): bigint {
    const m = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(this.s.slice(this.i));
    if (!m) throw new DbExprError('Syntax error: bad variable');
    this.i += m[0].length;
    const v = this.vars.get(m[1]);
    if (v === undefined) throw new DbExprError(`Unknown variable $${m[1]}`);
    return wrap(v);
  }

  private number(): bigint {
    const m = /^(0[xX][0-9a-fA-F]+|0[tT][0-9]+|0[oO][0-7]+|[0-9a-fA-F]+)/.exec(this.s.slice(this.i));
    if (!m) throw new DbExprError(`Syntax error at '${this.s.slice(this.i)}'`);
    this.i += m[0].length;
    return parseNumber(m[0], this.vars.radix);
  }
}

export function parseNumber(t: string, radix: number): bigint {
  const p = t.slice(0, 2).toLowerCase();
  if (p === '0x') return BigInt(`0x${t.slice(2)}`);
  if (p === '0t') return BigInt(t.slice(2));
  if (p === '0o') return BigInt(`0o${t.slice(2)}`);
  if (radix === 16) return BigInt(`0x${t}`);
  if (radix === 8) return BigInt(`0o${t}`);
  if (!/^[0-9]+$/.test(t)) throw new DbExprError(`Bad number ${t}`);
  return BigInt(t);
}

/** Evaluate one whole expression. */
export function dbExpr(s: string, vars: DbVars): bigint {
  const p = new Parser(s, vars);
  const v = p.expr();
  if (!p.done()) throw new DbExprError(`Syntax error at '${p.rest().trim()}'`);
  return v;
}

/** Split "a, b" style arguments at top-level commas. */
export function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0, cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) { out.push(cur.trim()); cur = ''; continue; }
    cur += ch;
  }
  if (cur.trim() !== '' || out.length > 0) out.push(cur.trim());
  return out;
}

/** Split space-separated expressions ("w addr v1 v2"); spaces inside parentheses stay. */
export function splitWords(s: string): string[] {
  const out: string[] = [];
  let depth = 0, cur = '';
  for (const ch of s.trim()) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if ((ch === ' ' || ch === '\t') && depth === 0) {
      if (cur) out.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}
