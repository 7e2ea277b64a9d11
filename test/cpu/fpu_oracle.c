/*
 * Oracle for test/cpu/fpu.test.ts: runs every RISC-V F/D instruction (except
 * loads/stores) on special and random operands in every rounding mode, with
 * the rounding mode in the instruction and fflags read back, and prints
 *   <mnemonic> <rm> <a> <b> <c> <result> <fflags>
 * (64-bit hex operands/results: FP registers as raw 64-bit patterns, so
 * NaN-boxing is visible; x registers as 64-bit values). Run under qemu-riscv64.
 * Usage: fpu_oracle [random-count-per-op] [seed]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t u64;
typedef uint64_t (*opfn)(u64 a, u64 b, u64 c, unsigned *fl);

/* Every op loads ft0..ft2 from a, b, c, clears fflags, runs, reads fflags. */
#define PRE "fmv.d.x ft0, %2\n\tfmv.d.x ft1, %3\n\tfmv.d.x ft2, %4\n\tfsflags zero\n\t"
#define ASM(text, post) u64 r; unsigned f; \
  __asm__ volatile(PRE text post : "=&r"(r), "=&r"(f) : "r"(a), "r"(b), "r"(c) \
                   : "ft0", "ft1", "ft2", "ft3"); *fl = f; return r;
#define ASMF(text) ASM(text, "\n\tfrflags %1\n\tfmv.x.d %0, ft3")
#define ASMX(text) ASM(text, "\n\tfrflags %1")

/* shapes: F = FP destination, X = integer destination; R = takes rm */
#define F3R(i, rm) ASMF(i " ft3, ft0, ft1, " rm)
#define F2R(i, rm) ASMF(i " ft3, ft0, " rm)
#define F4R(i, rm) ASMF(i " ft3, ft0, ft1, ft2, " rm)
#define X1R(i, rm) ASMX(i " %0, ft0, " rm)
#define FXR(i, rm) ASMF(i " ft3, %2, " rm)
#define F3(i) ASMF(i " ft3, ft0, ft1")
#define F2(i) ASMF(i " ft3, ft0")
#define X2(i) ASMX(i " %0, ft0, ft1")
#define X1(i) ASMX(i " %0, ft0")
#define FX(i) ASMF(i " ft3, %2")

#define FN(n, body) static u64 n(u64 a, u64 b, u64 c, unsigned *fl) { (void)a; (void)b; (void)c; body }
#define DEF5(n, shape, i) FN(n##_0, shape(i, "rne")) FN(n##_1, shape(i, "rtz")) \
  FN(n##_2, shape(i, "rdn")) FN(n##_3, shape(i, "rup")) FN(n##_4, shape(i, "rmm"))
#define DEF1(n, shape, i) FN(n##_0, shape(i))

/* operand types: D double, S boxed single, I 64-bit integer */
enum { D1, D2, D3, S1, S2, S3, I1 };

struct op { const char *name; int type; int nrm; opfn fn[5]; };
#define E5(s, t, n) { s, t, 5, { n##_0, n##_1, n##_2, n##_3, n##_4 } }
#define E1(s, t, n) { s, t, 1, { n##_0 } }

#define ARITH(p, T2, T1, T3) \
  DEF5(fadd_##p, F3R, "fadd." #p) DEF5(fsub_##p, F3R, "fsub." #p) DEF5(fmul_##p, F3R, "fmul." #p) \
  DEF5(fdiv_##p, F3R, "fdiv." #p) DEF5(fsqrt_##p, F2R, "fsqrt." #p) \
  DEF5(fmadd_##p, F4R, "fmadd." #p) DEF5(fmsub_##p, F4R, "fmsub." #p) \
  DEF5(fnmsub_##p, F4R, "fnmsub." #p) DEF5(fnmadd_##p, F4R, "fnmadd." #p) \
  DEF1(fmin_##p, F3, "fmin." #p) DEF1(fmax_##p, F3, "fmax." #p) \
  DEF1(fsgnj_##p, F3, "fsgnj." #p) DEF1(fsgnjn_##p, F3, "fsgnjn." #p) DEF1(fsgnjx_##p, F3, "fsgnjx." #p) \
  DEF1(feq_##p, X2, "feq." #p) DEF1(flt_##p, X2, "flt." #p) DEF1(fle_##p, X2, "fle." #p) \
  DEF1(fclass_##p, X1, "fclass." #p) \
  DEF5(fcvt_w_##p, X1R, "fcvt.w." #p) DEF5(fcvt_wu_##p, X1R, "fcvt.wu." #p) \
  DEF5(fcvt_l_##p, X1R, "fcvt.l." #p) DEF5(fcvt_lu_##p, X1R, "fcvt.lu." #p) \
  DEF5(fcvt_##p##_l, FXR, "fcvt." #p ".l") DEF5(fcvt_##p##_lu, FXR, "fcvt." #p ".lu")
ARITH(d, D2, D1, D3)
ARITH(s, S2, S1, S3)
DEF5(fcvt_s_w, FXR, "fcvt.s.w") DEF5(fcvt_s_wu, FXR, "fcvt.s.wu")
DEF1(fcvt_d_w, FX, "fcvt.d.w") DEF1(fcvt_d_wu, FX, "fcvt.d.wu")
DEF5(fcvt_s_d, F2R, "fcvt.s.d") DEF1(fcvt_d_s, F2, "fcvt.d.s")
DEF1(fmv_x_w, X1, "fmv.x.w") DEF1(fmv_x_d, X1, "fmv.x.d")
DEF1(fmv_w_x, FX, "fmv.w.x") DEF1(fmv_d_x, FX, "fmv.d.x")

#define OPS(p, T2, T1, T3) \
  E5("fadd." #p, T2, fadd_##p), E5("fsub." #p, T2, fsub_##p), E5("fmul." #p, T2, fmul_##p), \
  E5("fdiv." #p, T2, fdiv_##p), E5("fsqrt." #p, T1, fsqrt_##p), \
  E5("fmadd." #p, T3, fmadd_##p), E5("fmsub." #p, T3, fmsub_##p), \
  E5("fnmsub." #p, T3, fnmsub_##p), E5("fnmadd." #p, T3, fnmadd_##p), \
  E1("fmin." #p, T2, fmin_##p), E1("fmax." #p, T2, fmax_##p), \
  E1("fsgnj." #p, T2, fsgnj_##p), E1("fsgnjn." #p, T2, fsgnjn_##p), E1("fsgnjx." #p, T2, fsgnjx_##p), \
  E1("feq." #p, T2, feq_##p), E1("flt." #p, T2, flt_##p), E1("fle." #p, T2, fle_##p), \
  E1("fclass." #p, T1, fclass_##p), \
  E5("fcvt.w." #p, T1, fcvt_w_##p), E5("fcvt.wu." #p, T1, fcvt_wu_##p), \
  E5("fcvt.l." #p, T1, fcvt_l_##p), E5("fcvt.lu." #p, T1, fcvt_lu_##p), \
  E5("fcvt." #p ".l", I1, fcvt_##p##_l), E5("fcvt." #p ".lu", I1, fcvt_##p##_lu)

static const struct op ops[] = {
  OPS(d, D2, D1, D3), OPS(s, S2, S1, S3),
  E5("fcvt.s.w", I1, fcvt_s_w), E5("fcvt.s.wu", I1, fcvt_s_wu),
  E1("fcvt.d.w", I1, fcvt_d_w), E1("fcvt.d.wu", I1, fcvt_d_wu),
  E5("fcvt.s.d", D1, fcvt_s_d), E1("fcvt.d.s", S1, fcvt_d_s),
  E1("fmv.x.w", S1, fmv_x_w), E1("fmv.x.d", D1, fmv_x_d),
  E1("fmv.w.x", I1, fmv_w_x), E1("fmv.d.x", I1, fmv_d_x),
};

static const u64 spD[] = {
  0, 0x8000000000000000, 0x7ff0000000000000, 0xfff0000000000000,
  0x7ff8000000000000, 0x7ff0000000000001, 0x7ff8000000000123, 0xfff8000000000000, 0x7ff4000000000000,
  1, 0x8000000000000001, 0x000fffffffffffff, 0x0010000000000000, 0x8010000000000000,
  0x0018000000000000, 3, 0x0008000000000000,
  0x7fefffffffffffff, 0xffefffffffffffff, 0x7fe0000000000000, 0x7fdfffffffffffff,
  0x3ff0000000000000, 0xbff0000000000000, 0x3fe0000000000000, 0x3ff8000000000000,
  0x4004000000000000, 0xc004000000000000, 0xbfe0000000000000, 0x4008000000000000,
  0x3ff0000000000001, 0x3fefffffffffffff, 0x400921fb54442d18, 0x3fd5555555555555, 0x3ff6a09e667f3bcd,
  0x41e0000000000000, 0x41dfffffffc00000, 0xc1e0000000000000, 0xc1e0000000200000, 0x41dfffffffe00000,
  0xc1e0000000100000, 0x41f0000000000000, 0x41efffffffe00000, 0x41effffffff00000,
  0x43e0000000000000, 0xc3e0000000000000, 0x43dfffffffffffff, 0xc3e0000000000001,
  0x43f0000000000000, 0x43efffffffffffff, 0x432fffffffffffff, 0x4330000000000000, 0x4340000000000000,
  0x3fdfffffffffffff, 0xbfdfffffffffffff, 0x7fe1ccf385ebc8a0, 0x0031fa182c40c60d, 0xbca0000000000000,
  /* single-precision boundaries, for fcvt.s.d */
  0x47efffffe0000000, 0x47effffff0000000, 0x47efffffefffffff, 0x47f0000000000000, 0xc7effffff0000001,
  0x3810000000000000, 0x380fffffffffffff, 0x380ffffff0000000, 0x380fffffe0000000, 0xb80ffffff0000001,
  0x36a0000000000000, 0x3690000000000000, 0x3690000000000001, 0x36a8000000000000, 0x3698000000000000,
};
static const uint32_t spS[] = {
  0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001, 0x7fa00000, 0xffc00000, 0x7fc00123,
  1, 0x80000001, 0x007fffff, 0x00800000, 0x80800000, 0x00c00000, 3, 0x00400000,
  0x7f7fffff, 0xff7fffff, 0x7f000000, 0x7effffff,
  0x3f800000, 0xbf800000, 0x3f000000, 0x3fc00000, 0x40200000, 0xc0200000, 0xbf000000, 0x40400000,
  0x3f800001, 0x3f7fffff, 0x40490fdb, 0x3eaaaaab, 0x3fb504f3,
  0x4f000000, 0x4effffff, 0xcf000000, 0xcf000001, 0x4f800000, 0x4f7fffff,
  0x5f000000, 0xdf000000, 0x5effffff, 0xdf000001, 0x5f800000, 0x5f7fffff,
  0x4b000000, 0x4b800000, 0x4affffff, 0x3effffff, 0xbeffffff, 0x33800000,
};
/* not properly NaN-boxed singles: read as the canonical NaN */
static const u64 unboxed[] = { 0x000000003f800000, 0x7ff8000000000000, 0xffffffef3f800000 };
static const u64 spI[] = {
  0, 1, -1ull, 2, 0x7fffffff, 0x80000000, 0xffffffff, 0xffffffff80000000, 0x100000000,
  0x7fffffffffffffff, 0x8000000000000000, 0x8000000000000001, 0xfffffffffffffffe,
  0x1fffffffffffff, 0x20000000000001, 0x20000000000003, 0xffe0000000000001, 0x1000001, 0x1000003,
  0xffffff, 0x7fffffbf, 0x7fffffc0, 0xffffff7f, 0xffffff80, 0x7ffffffffffffdff, 0xfffffffffffffbff,
  0xfffffffffffffc00, 0x8000000000000400, 0x1000000000000800, 0x1000000000000801, 0xdeadbeefcafef00d,
};
#define N(a) (sizeof(a) / sizeof((a)[0]))

static u64 rs = 0x9e3779b97f4a7c15;
static u64 rnd(void) { rs ^= rs << 13; rs ^= rs >> 7; rs ^= rs << 17; return rs; }
static unsigned rndn(unsigned n) { return (unsigned)(rnd() % n); }

static u64 mkD(int sign, int exp, u64 mant) {
  if (exp < 0) exp = 0;
  if (exp > 2046) exp = 2046;
  return ((u64)sign << 63) | ((u64)exp << 52) | (mant & 0xfffffffffffff);
}
static int expD(u64 v) { return (int)((v >> 52) & 0x7ff); }
/* A random double: raw bits, near 1, tiny, huge, or with few mantissa bits (exact/tie cases). */
static u64 rndD(int near) {
  int s = rndn(2);
  switch (rndn(7)) {
  case 0: return rnd();
  case 6: /* near the single-precision overflow and underflow thresholds */
    return mkD(s, rndn(2) ? 1023 + 124 + (int)rndn(6) : 1023 - 155 + (int)rndn(32), rnd() & ~(rndn(2) ? 0 : 0xfffffffull));
  case 1: return mkD(s, 1023 + (int)rndn(64) - 32, rnd());
  case 2: return mkD(s, (int)rndn(60), rnd());
  case 3: return mkD(s, 2046 - (int)rndn(60), rnd());
  case 4: return mkD(s, 1023 + (int)rndn(16) - 8, rnd() & ~((1ull << (52 - rndn(14))) - 1) & ~0ull);
  default: return mkD(s, near + (int)rndn(120) - 60, rnd() << (rndn(2) ? 0 : rndn(40)));
  }
}
static u64 box(uint32_t v) { return 0xffffffff00000000ull | v; }
static u64 mkS(int sign, int exp, u64 mant) {
  if (exp < 0) exp = 0;
  if (exp > 254) exp = 254;
  return box(((uint32_t)sign << 31) | ((uint32_t)exp << 23) | (uint32_t)(mant & 0x7fffff));
}
static int expS(u64 v) { return (int)((v >> 23) & 0xff); }
static u64 rndS(int near) {
  int s = rndn(2);
  switch (rndn(6)) {
  case 0: return box((uint32_t)rnd());
  case 1: return mkS(s, 127 + (int)rndn(32) - 16, rnd());
  case 2: return mkS(s, (int)rndn(30), rnd());
  case 3: return mkS(s, 254 - (int)rndn(30), rnd());
  case 4: return mkS(s, 127 + (int)rndn(16) - 8, rnd() & ~((1ull << (23 - rndn(10))) - 1));
  default: return mkS(s, near + (int)rndn(60) - 30, rnd() << (rndn(2) ? 0 : rndn(20)));
  }
}
/* values around the integer conversion limits, with fractions */
static u64 rndCvtD(void) { return mkD(rndn(2), 1023 + (int)rndn(70) - 4, rnd() & (rndn(2) ? ~0ull : ~0xffffffull)); }
static u64 rndCvtS(void) { return mkS(rndn(2), 127 + (int)rndn(70) - 4, rnd() & (rndn(2) ? ~0ull : ~0xfull)); }
static u64 rndI(void) {
  u64 v = rnd() >> rndn(64);
  if (rndn(3) == 0) v &= ~((1ull << rndn(40)) - 1);
  return rndn(2) ? -v : v;
}

static void emit(const struct op *o, u64 a, u64 b, u64 c) {
  for (int m = 0; m < o->nrm; m++) {
    unsigned fl;
    u64 r = o->fn[m](a, b, c, &fl);
    printf("%s %d %016llx %016llx %016llx %016llx %x\n", o->name, m, (unsigned long long)a,
           (unsigned long long)b, (unsigned long long)c, (unsigned long long)r, fl);
  }
}

static u64 spFP(int single, unsigned i) {
  if (!single) return spD[i];
  return i < N(spS) ? box(spS[i]) : unboxed[i - N(spS)];
}
static unsigned nSp(int single) { return single ? N(spS) + N(unboxed) : N(spD); }
static u64 rndFP(int single, int near) { return single ? rndS(near) : rndD(near); }
static int expFP(int single, u64 v) { return single ? expS(v) : expD(v); }

/* c near -(a*b), so that a*b+c cancels: computed in the host format, then nudged */
static u64 cancelC(int single, u64 a, u64 b) {
  if (single) {
    float x, y; uint32_t ua = (uint32_t)a, ub = (uint32_t)b, uc;
    memcpy(&x, &ua, 4); memcpy(&y, &ub, 4);
    float z = -(x * y); memcpy(&uc, &z, 4);
    return box(uc + (uint32_t)rndn(5) - 2);
  }
  double x, y, z; u64 uc;
  memcpy(&x, &a, 8); memcpy(&y, &b, 8);
  z = -(x * y); memcpy(&uc, &z, 8);
  return uc + rndn(5) - 2;
}

static void run(const struct op *o, unsigned nrand) {
  int single = o->type == S1 || o->type == S2 || o->type == S3;
  int cvt = strncmp(o->name, "fcvt.", 5) == 0;
  unsigned ns = nSp(single);
  switch (o->type) {
  case I1:
    for (unsigned i = 0; i < N(spI); i++) emit(o, spI[i], 0, 0);
    for (unsigned i = 0; i < nrand; i++) emit(o, rndI(), 0, 0);
    break;
  case D1: case S1:
    for (unsigned i = 0; i < ns; i++) emit(o, spFP(single, i), 0, 0);
    for (unsigned i = 0; i < nrand; i++)
      emit(o, cvt && rndn(2) ? (single ? rndCvtS() : rndCvtD()) : rndFP(single, single ? 127 : 1023), 0, 0);
    break;
  case D2: case S2:
    for (unsigned i = 0; i < ns; i++)
      for (unsigned j = 0; j < ns; j++) emit(o, spFP(single, i), spFP(single, j), 0);
    for (unsigned i = 0; i < nrand; i++) {
      u64 a = rndFP(single, single ? 127 : 1023);
      emit(o, a, rndn(3) ? rndFP(single, expFP(single, a)) : spFP(single, rndn(ns)), 0);
    }
    break;
  default: { /* three operands: a subset of the specials, then random triples */
    unsigned sub = 14;
    for (unsigned i = 0; i < sub; i++)
      for (unsigned j = 0; j < sub; j++)
        for (unsigned k = 0; k < sub; k++)
          emit(o, spFP(single, i * 3 % ns), spFP(single, (j * 5 + 1) % ns), spFP(single, (k * 7 + 2) % ns));
    for (unsigned i = 0; i < nrand; i++) {
      u64 a = rndFP(single, single ? 127 : 1023), b = rndFP(single, single ? 127 : 1023), c;
      unsigned k = rndn(10);
      int pe = expFP(single, a) + expFP(single, b) - (single ? 127 : 1023);
      if (k < 4) c = cancelC(single, a, b);
      else if (k < 8) c = rndFP(single, pe);
      else c = k == 8 ? spFP(single, rndn(ns)) : rndFP(single, single ? 127 : 1023);
      emit(o, a, b, c);
    }
  }
  }
}

int main(int argc, char **argv) {
  unsigned nrand = argc > 1 ? (unsigned)atoi(argv[1]) : 2000;
  if (argc > 2) rs = strtoull(argv[2], 0, 0) | 1;
  for (unsigned i = 0; i < N(ops); i++) run(&ops[i], nrand);
  return 0;
}
