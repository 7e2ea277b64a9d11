/*
 * Placeholders in generated code where the register file must be in memory.
 * Inside a region (compile.ts) registers live in JS locals; before a call that
 * reads x or may throw a trap, SYNC (an expression prefix, used as `(SYNC f())`)
 * becomes stores of the written locals into x, and RELOAD (statements) after a
 * call that may write x reloads the locals. In single blocks both are empty.
 */
export const SYNC = '/*S*/';
export const RELOAD = '/*R*/';

/*
 * Narrow forms for calls that touch only a few registers and cannot trap
 * (M-extension helpers, FP helpers): syncOnly(regs) stores just those locals
 * the call reads, reloadOnly(regs) reloads just those it writes. Indexes are
 * into the Int32Array x (2·r and 2·r + 1 for register r).
 */
export function syncOnly(...regs: number[]): string {
  return regs.length === 0 ? '' : `/*S:${pairs(regs)}*/`;
}

export function reloadOnly(...regs: number[]): string {
  return regs.length === 0 ? '' : `/*R:${pairs(regs)}*/`;
}

function pairs(regs: number[]): string {
  return regs.filter((r) => r !== 0).flatMap((r) => [2 * r, 2 * r + 1]).join(',');
}

/** The narrow markers, for localize() to expand and single blocks to drop. */
export const NARROW = /\/\*([SR]):([\d,]*)\*\//g;

/** Code outside a localized region: registers already live in x, so every marker goes. */
export function dropSyncMarkers(code: string): string {
  return code.replace(NARROW, '').replaceAll(SYNC, '').replaceAll(RELOAD, '');
}
