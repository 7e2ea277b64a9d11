/*
 * TCP sequence arithmetic (BSD tcp_seq.h): comparisons modulo 2^32.
 */
export const SEQ_LT = (a: number, b: number): boolean => ((a - b) | 0) < 0;
export const SEQ_LEQ = (a: number, b: number): boolean => ((a - b) | 0) <= 0;
export const SEQ_GT = (a: number, b: number): boolean => ((a - b) | 0) > 0;
export const SEQ_GEQ = (a: number, b: number): boolean => ((a - b) | 0) >= 0;
/** a + n as a sequence number (unsigned 32-bit). */
export const seqAdd = (a: number, n: number): number => (a + n) >>> 0;
/** a - b as a signed distance. */
export const seqDiff = (a: number, b: number): number => (a - b) | 0;
export const SEQ_MAX = (a: number, b: number): number => (SEQ_GT(a, b) ? a : b);
export const SEQ_MIN = (a: number, b: number): number => (SEQ_LT(a, b) ? a : b);
