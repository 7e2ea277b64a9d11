/*
 * fp: IEEE 754 on the F and D extensions as glibc programs see it.
 * printf of doubles and floats, the four rounding modes (arithmetic,
 * conversions, rint/nearbyint/lrint), exception flags, NaN-boxing of
 * singles in the 64-bit registers, RISC-V's canonical NaN, the saturating
 * float-to-integer conversions, fmin/fmax and signed zeros, libm, and
 * quad-precision long double (software, in libgcc).
 *
 * Operands are volatile so the compiler cannot fold what the CPU must do.
 */
#include "corpus.h"

#include <fenv.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>

static uint64_t
dbits(double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof(u));
	return u;
}

static uint32_t
fbits(float f)
{
	uint32_t u;

	memcpy(&u, &f, sizeof(u));
	return u;
}

static const char *
flags(void)
{
	static char s[16];
	int f = fetestexcept(FE_ALL_EXCEPT);

	snprintf(s, sizeof(s), "%s%s%s%s%s",
	    f & FE_INVALID ? "NV " : "", f & FE_DIVBYZERO ? "DZ " : "",
	    f & FE_OVERFLOW ? "OF " : "", f & FE_UNDERFLOW ? "UF " : "",
	    f & FE_INEXACT ? "NX" : "");
	if (s[0] == '\0')
		strcpy(s, "-");
	return s;
}

static void
printing(void)
{
	volatile double a = 0.1, b = 0.2, big = 1e300, z = 0.0;
	volatile float fa = 0.1f, fb = 3.0f;

	printf("0.1+0.2 = %.17g\n", a + b);
	printf("%%e %%f %%g %%a of 1/3: %e %f %g %a\n", 1 / (a * 30), 1 / (a * 30), 1 / (a * 30), 1 / (a * 30));
	printf("1e300*1e10 = %g, -1e300*1e10 = %g\n", big * 1e10, -big * 1e10);
	printf("-0.0 = %g, 1/-0.0 = %g\n", -z, 1 / -z);
	printf("0/0 = %g (bits %016llx: the canonical NaN)\n", z / z, (unsigned long long)dbits(z / z));
	printf("float 1/3 = %.9g, 0.1f = %.17g\n", (double)(1.0f / fb), (double)fa);
	printf("float 0/0 bits %08x\n", fbits((float)(z / z)));
	printf("DBL_MAX %.17g DBL_MIN %.17g DBL_TRUE_MIN %g FLT_MAX %.9g\n", DBL_MAX, DBL_MIN, DBL_TRUE_MIN, (double)FLT_MAX);
	printf("subnormal: %a %a\n", DBL_MIN / 4, (double)(FLT_MIN / 8));
	printf("%.0f %.0f %.0f %.0f (printf rounds half to even)\n", 0.5, 1.5, 2.5, -2.5);
	printf("%.20f\n", 1.0 / 3.0);
	printf("%.3e %10.4f|%-10.2g|%+g\n", 123456.789, M_PI, M_E, 1e-5);
}

static void
rounding(void)
{
	static const struct { int mode; const char *name; } modes[] = {
		{ FE_TONEAREST, "nearest" }, { FE_UPWARD, "upward" },
		{ FE_DOWNWARD, "downward" }, { FE_TOWARDZERO, "toward zero" },
	};
	volatile double one = 1.0, three = 3.0, two = 2.0, tenth = 0.1;
	volatile double h25 = 2.5, hm25 = -2.5, h35 = 3.5, h05 = 0.5, hm15 = -1.5;
	volatile float fone = 1.0f, fthree = 3.0f;

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		CHECK(fesetround(modes[i].mode) == 0 && fegetround() == modes[i].mode, "fesetround(%s)", modes[i].name);
		printf("  1/3 %a  -1/3 %a  sqrt(2) %a\n", one / three, -one / three, sqrt(two));
		printf("  float 1/3 %a  (float)0.1 %a  0.1*3 %a\n", (double)(fone / fthree), (double)(float)tenth, tenth * three);
		printf("  rint(2.5 -2.5 3.5 0.5 -1.5) = %g %g %g %g %g\n", rint(h25), rint(hm25), rint(h35), rint(h05), rint(hm15));
		printf("  nearbyint(2.5) %g  lrint(2.5) %ld  llrint(-2.5) %lld  (int)-2.5 %d\n",
		    nearbyint(h25), lrint(h25), llrint(hm25), (int)hm25);
		printf("  rintf(2.5f) %g  lrintf(-0.5f) %ld\n", (double)rintf((float)h25), lrintf((float)-h05));
		printf("  round(2.5) %g  floor(-2.5) %g  ceil(-2.5) %g  trunc(-2.5) %g\n", round(h25), floor(hm25), ceil(hm25), trunc(hm25));
	}
	fesetround(FE_TONEAREST);
}

static void
exceptions(void)
{
	volatile double one = 1.0, zero = 0.0, big = 1e308, tiny = 1e-308, three = 3.0, four = 4.0;
	volatile double r;

	feclearexcept(FE_ALL_EXCEPT);
	printf("nothing: %s\n", flags());
	r = one / three;
	printf("1/3: %s\n", flags());
	feclearexcept(FE_ALL_EXCEPT);
	r = one / zero;
	printf("1/0: %s\n", flags());
	feclearexcept(FE_ALL_EXCEPT);
	r = zero / zero;
	printf("0/0: %s\n", flags());
	feclearexcept(FE_ALL_EXCEPT);
	r = big * 10;
	printf("1e308*10: %s\n", flags());
	feclearexcept(FE_ALL_EXCEPT);
	r = tiny / 1e10;
	printf("1e-308/1e10: %s\n", flags());
	feclearexcept(FE_ALL_EXCEPT);
	r = sqrt(four);
	printf("sqrt(4): %s\n", flags());
	feclearexcept(FE_ALL_EXCEPT);
	r = sqrt(-one);
	printf("sqrt(-1): %s (result %s)\n", flags(), isnan(r) ? "NaN" : "?");
	feclearexcept(FE_ALL_EXCEPT);
	CHECK(feraiseexcept(FE_OVERFLOW | FE_INEXACT) == 0, "feraiseexcept");
	printf("raised OF|NX: %s\n", flags());
	{
		fenv_t env;

		fegetenv(&env);
		feclearexcept(FE_ALL_EXCEPT);
		fesetround(FE_UPWARD);
		fesetenv(&env);
		CHECK(fegetround() == FE_TONEAREST && fetestexcept(FE_OVERFLOW), "fegetenv/fesetenv restore mode and flags");
	}
	feclearexcept(FE_ALL_EXCEPT);
	(void)r;
}

static void
conversions(void)
{
	volatile double nan_ = NAN, inf = INFINITY, d;
	volatile float fnan = NAN, f;

	/* The result goes through a volatile first: flags() must run after it. */
#define CONV(expr, fmt) do {						\
	feclearexcept(FE_ALL_EXCEPT);					\
	volatile __typeof__(expr) v_ = (expr);				\
	printf("  %-28s = " fmt "  %s\n", #expr, v_, flags());		\
} while (0)
	printf("float to integer (saturating, NaN gives the maximum):\n");
	CONV((int)nan_, "%d");
	CONV((int)inf, "%d");
	CONV((int)-inf, "%d");
	d = 1e10;  CONV((int)d, "%d");
	d = -1e10; CONV((int)d, "%d");
	d = -1.0;  CONV((unsigned)d, "%u");
	d = -0.9;  CONV((unsigned)d, "%u");
	d = 4e9;   CONV((unsigned)d, "%u");
	d = 5e9;   CONV((unsigned)d, "%u");
	d = 1e19;  CONV((long)d, "%ld");
	d = -1e19; CONV((long)d, "%ld");
	CONV((long)nan_, "%ld");
	d = -1.0;  CONV((unsigned long)d, "%lu");
	d = 1.8e19; CONV((unsigned long)d, "%lu");
	d = 2e19;  CONV((unsigned long)d, "%lu");
	d = 2147483647.5; CONV((int)d, "%d");
	d = -2147483648.9; CONV((int)d, "%d");
	CONV((int)fnan, "%d");
	f = 3e9f;  CONV((int)f, "%d");
	f = -1.5f; CONV((unsigned)f, "%u");
	f = 1e20f; CONV((long)f, "%ld");
	d = 1e30;  CONV(lrint(d), "%ld");
	CONV(llrint(nan_), "%lld");
	d = -1e30; CONV(lrint(d), "%ld");
	f = 1e30f; CONV(lrintf(f), "%ld");
	printf("integer to float:\n");
	{
		volatile long l = 9007199254740993L;	/* 2^53 + 1 */
		volatile unsigned long ul = ULONG_MAX;
		volatile int i = 16777217;		/* 2^24 + 1 */

		CONV((double)l, "%.17g");
		CONV((double)ul, "%.17g");
		CONV((float)i, "%.9g");
		CONV((float)l, "%.9g");
		fesetround(FE_UPWARD);
		CONV((double)l, "%.17g");
		CONV((float)i, "%.9g");
		fesetround(FE_TONEAREST);
	}
	printf("double to float and back:\n");
	d = 0.1;   CONV((float)d, "%.9g");
	d = 1e40;  CONV((float)d, "%g");
	d = 1e-50; CONV((float)d, "%g");
	f = 0.1f;  CONV((double)f, "%.17g");
	feclearexcept(FE_ALL_EXCEPT);
	/* A NaN payload does not survive: RISC-V returns the canonical NaN. */
	{
		uint64_t u = 0x7ff8dead0000beefULL;
		double pd;
		float pf;

		memcpy(&pd, &u, 8);
		d = pd;
		pf = (float)d;
		printf("  (float)NaN-with-payload bits %08x\n", fbits(pf));
		f = pf;
		printf("  (double)(float NaN) bits %016llx\n", (unsigned long long)dbits((double)f));
		printf("  NaN + 1 bits %016llx\n", (unsigned long long)dbits(d + 1.0));
		printf("  -NaN (sign flip keeps payload) bits %016llx\n", (unsigned long long)dbits(-d));
	}
#undef CONV
}

/* NaN-boxing: a single in a 64-bit register must have its upper half all ones. */
static void
nanboxing(void)
{
	uint64_t out;
	uint32_t w;

	/* flw leaves a boxed value: fmv.x.d sees the ones. */
	{
		volatile float one = 1.0f;
		__asm__ volatile("flw ft0, 0(%1)\n\tfmv.x.d %0, ft0" : "=r"(out) : "r"(&one) : "ft0");
		printf("flw 1.0f, fmv.x.d: %016llx\n", (unsigned long long)out);
	}
	/* An unboxed single reads as the canonical NaN. */
	__asm__ volatile("fmv.d.x ft0, %1\n\tfadd.s ft1, ft0, ft0\n\tfmv.x.w %0, ft1"
	    : "=r"(w) : "r"(0x000000003f800000ULL) : "ft0", "ft1");
	printf("fadd.s of an unboxed 1.0f: %08x\n", w);
	__asm__ volatile("fmv.d.x ft0, %1\n\tfadd.s ft1, ft0, ft0\n\tfmv.x.w %0, ft1"
	    : "=r"(w) : "r"(0xffffffff3f800000ULL) : "ft0", "ft1");
	printf("fadd.s of a boxed 1.0f: %08x\n", w);
	__asm__ volatile("fmv.d.x ft0, %1\n\tfsgnj.s ft1, ft0, ft0\n\tfmv.x.d %0, ft1"
	    : "=r"(out) : "r"(0xfffeffff3f800000ULL) : "ft0", "ft1");
	printf("fsgnj.s of a badly boxed value: %016llx\n", (unsigned long long)out);
	/* fmv.x.w ignores boxing, sign-extends bit 31. */
	__asm__ volatile("fmv.d.x ft0, %1\n\tfmv.x.w %0, ft0" : "=r"(out) : "r"(0x12345678bf800000ULL) : "ft0");
	printf("fmv.x.w of 0x12345678bf800000: %016llx\n", (unsigned long long)out);
	/* fcvt.s.d then fcvt.d.s in a mixture of float and double. */
	{
		volatile double d = 1.0 / 3.0;
		volatile float f = (float)d;
		volatile double back = f;
		volatile float sum = f + (float)back;

		printf("double->float->double 1/3: %a, float sum %a\n", back, (double)sum);
	}
	/* fclass on the corner cases. */
	{
		static const double v[] = { -INFINITY, -1.0, -DBL_MIN / 2, -0.0, 0.0, DBL_MIN / 2, 1.0, INFINITY, NAN };
		printf("fclass.d:");
		for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
			volatile double x = v[i];
			unsigned long c;
			__asm__ volatile("fclass.d %0, %1" : "=r"(c) : "f"(x));
			printf(" %#lx", c);
		}
		__asm__ volatile("fmv.d.x ft0, %1\n\tfclass.d %0, ft0" : "=r"(out) : "r"(0x7ff0000000000001ULL) : "ft0");
		printf(" sNaN:%#llx\n", (unsigned long long)out);
	}
}

static void
minmax(void)
{
	volatile double pz = 0.0, nz = -0.0, one = 1.0, qnan = NAN;
	volatile double snan, r;
	volatile int b;
	uint64_t u = 0x7ff4000000000000ULL;

	memcpy((void *)&snan, &u, 8);
	printf("fmin(-0,+0) %g fmax(-0,+0) %g fmin(+0,-0) %g\n", fmin(nz, pz), fmax(nz, pz), fmin(pz, nz));
	feclearexcept(FE_ALL_EXCEPT);
	r = fmin(qnan, qnan);
	printf("fmin(NaN,1) %g fmax(1,NaN) %g fmin(NaN,NaN) bits %016llx  %s\n",
	    fmin(qnan, one), fmax(one, qnan), (unsigned long long)dbits(r), flags());
	feclearexcept(FE_ALL_EXCEPT);
	r = fmin(snan, one);
	printf("fmin(sNaN,1) %g  %s\n", r, flags());
	feclearexcept(FE_ALL_EXCEPT);
	b = snan < one;
	printf("sNaN < 1: %d %s\n", b, flags());
	feclearexcept(FE_ALL_EXCEPT);
	b = qnan == qnan;
	printf("qNaN == qNaN: %d %s\n", b, flags());
	feclearexcept(FE_ALL_EXCEPT);
	b = qnan < one;
	printf("qNaN < 1: %d %s (FLT is a signalling compare)\n", b, flags());
	feclearexcept(FE_ALL_EXCEPT);
	printf("copysign(3,-0) %g fabs(-0) %g signbit(-0) %d signbit(-NaN) %d\n",
	    copysign(3.0, nz), fabs(nz), signbit(nz) != 0, signbit(-qnan) != 0);
	printf("isnan isinf isfinite isnormal (subnormal): %d %d %d %d\n", isnan(qnan) != 0, isinf(1 / pz) != 0,
	    isfinite(one) != 0, isnormal(DBL_MIN / 2) != 0);
}

static void
libm(void)
{
	volatile double x = 0.5, y = 2.5, big = 100.0;
	volatile float fx = 0.5f, fy = 2.5f;

	printf("sin %.17g cos %.17g tan %.17g\n", sin(x), cos(x), tan(x));
	printf("asin %.17g acos %.17g atan %.17g\n", asin(x), acos(x), atan(x));
	printf("atan2(1,-1) %.17g atan2(-0.0,-1) %.17g\n", atan2(1.0, -x * 2), atan2(-0.0 * x, -1.0));
	printf("exp %.17g log %.17g log10 %.17g log2 %.17g\n", exp(y), log(y), log10(y), log2(y));
	printf("pow(2.5,0.5) %.17g pow(-8,1/3.) %g pow(2,-1074) %g\n", pow(y, x), pow(-8.0, 1 / 3.0), pow(2.0, -1074.0));
	printf("sqrt %.17g cbrt(-27) %.17g hypot(3,4) %.17g\n", sqrt(y), cbrt(-27.0 * x * 2), hypot(3.0, 4.0 * x * 2));
	printf("fma(0.1,10,-1) %a  0.1*10-1 %a\n", fma(0.1, 10.0 * x * 2, -1.0), 0.1 * (10.0 * x * 2) - 1.0);
	printf("fmaf %a\n", (double)fmaf(0.1f, 10.0f, -1.0f * fx * 2));
	printf("fmod(10,3) %g remainder(10,3) %g remquo ok, modf, frexp, ldexp: ", fmod(10.0, 3.0 * x * 2), remainder(10.0, 3.0));
	{
		double ip;
		int e;
		printf("%g %g %g %d %g\n", modf(y, &ip), ip, frexp(big, &e), e, ldexp(x, 10));
	}
	printf("sinh %.17g cosh %.17g tanh %.17g\n", sinh(x), cosh(x), tanh(x));
	printf("expm1(1e-10) %.17g log1p(1e-10) %.17g\n", expm1(1e-10 * x * 2), log1p(1e-10 * x * 2));
	printf("erf %.17g erfc %.17g tgamma(5) %.17g lgamma(100) %.17g\n", erf(x), erfc(x), tgamma(5.0 * x * 2), lgamma(big));
	printf("j0 %.17g y0 %.17g\n", j0(y), y0(y));
	printf("sinf %.9g expf %.9g powf %.9g logf %.9g sqrtf %.9g\n", (double)sinf(fx), (double)expf(fy),
	    (double)powf(fy, fx), (double)logf(fy), (double)sqrtf(fy));
	printf("sin(1e22) %.17g (argument reduction)\n", sin(1e22 * x * 2));
	printf("exp(710) %g log(0) %g log(-1) %g\n", exp(710.0 * x * 2), log(0.0 * x), log(-x));
	{
		double s = 0;
		for (int i = 1; i <= 1000; i++)
			s += 1.0 / ((double)i * i);
		printf("sum 1/i^2 (i<=1000) %.17g\n", s);
	}
}

static void
quad(void)
{
	volatile long double a = 1.0L, b = 3.0L;

	printf("long double: %zu bytes, LDBL_MANT_DIG %d\n", sizeof(long double), LDBL_MANT_DIG);
	printf("1/3L %.36Lg\n", a / b);
	printf("sqrtl(2) %.36Lg\n", sqrtl(2.0L * a));
	printf("(long double)0.1 %.36Lg\n", (long double)0.1);
	printf("2^100+1 %.36Lg\n", ldexpl(a, 100) + 1.0L);
}

int
main(void)
{
	corpus_init();
	printing();
	rounding();
	exceptions();
	conversions();
	nanboxing();
	minmax();
	libm();
	quad();
	return corpus_done();
}
