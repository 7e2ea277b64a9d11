/*
 * Why Cpu.run returned, and which kind of access faulted. Plain const objects
 * (not `const enum`) because esbuild and tsx compile each file in isolation.
 */
export const Stop = {
  BUDGET: 0,
  ECALL: 1,
  FAULT: 2,
  ILLEGAL: 3,
  EBREAK: 4,
} as const;
export type Stop = (typeof Stop)[keyof typeof Stop];

export const Access = {
  READ: 0,
  WRITE: 1,
  EXEC: 2,
} as const;
export type Access = (typeof Access)[keyof typeof Access];
