/*
 * Placeholders in generated code where the register file must be in memory.
 * Inside a region (compile.ts) registers live in JS locals; before a call that
 * reads x or may throw a trap, SYNC (an expression prefix, used as `(SYNC f())`)
 * becomes stores of the written locals into x, and RELOAD (statements) after a
 * call that may write x reloads the locals. In single blocks both are empty.
 */
export const SYNC = '/*S*/';
export const RELOAD = '/*R*/';
