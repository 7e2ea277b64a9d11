/*
 * time: the clocks and sleeps, printing only facts that hold on every
 * run: monotonic time never goes back, sleeps last at least as asked,
 * the wall clock is after 2020, the clocks agree with each other.
 */
#include "corpus.h"

#include <signal.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>

static double
ts(clockid_t c)
{
	struct timespec t;

	clock_gettime(c, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void on_alrm(int sig) { (void)sig; }

int
main(void)
{
	struct timespec req, rem, res;
	struct timeval tv;
	double t0, t1, prev;
	int mono = 1;

	corpus_init();

	prev = ts(CLOCK_MONOTONIC);
	for (int i = 0; i < 10000; i++) {
		t1 = ts(CLOCK_MONOTONIC);
		mono &= t1 >= prev;
		prev = t1;
	}
	CHECK(mono, "CLOCK_MONOTONIC never decreases over 10000 reads");
	CHECK(clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 10000000,
	    "CLOCK_MONOTONIC resolution is at most 10 ms");
	CHECK(clock_getres(CLOCK_REALTIME, &res) == 0 && res.tv_sec == 0 && res.tv_nsec <= 10000000,
	    "CLOCK_REALTIME resolution is at most 10 ms");

	t0 = ts(CLOCK_MONOTONIC);
	req.tv_sec = 0;
	req.tv_nsec = 50 * 1000000;
	CHECK(nanosleep(&req, &rem) == 0, "nanosleep 50 ms");
	t1 = ts(CLOCK_MONOTONIC);
	CHECK(t1 - t0 >= 0.050, "it slept at least 50 ms");
	CHECK(t1 - t0 < 5.0, "and less than 5 s");

	t0 = ts(CLOCK_MONOTONIC);
	usleep(20000);
	CHECK(ts(CLOCK_MONOTONIC) - t0 >= 0.020, "usleep(20000) sleeps at least 20 ms");

	/* An absolute sleep to a point on the monotonic clock. */
	clock_gettime(CLOCK_MONOTONIC, &req);
	req.tv_nsec += 30000000;
	if (req.tv_nsec >= 1000000000) {
		req.tv_sec++;
		req.tv_nsec -= 1000000000;
	}
	CHECK(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &req, NULL) == 0, "clock_nanosleep TIMER_ABSTIME");
	CHECK(ts(CLOCK_MONOTONIC) >= req.tv_sec + req.tv_nsec / 1e9, "wakes no earlier than the deadline");

	/* Interrupted sleep: EINTR and a sensible remainder. */
	{
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_alrm;
		sigaction(SIGALRM, &sa, NULL);
		struct itimerval it = { { 0, 0 }, { 0, 50000 } };
		setitimer(ITIMER_REAL, &it, NULL);
		req.tv_sec = 10;
		req.tv_nsec = 0;
		errno = 0;
		CHECK(nanosleep(&req, &rem) == -1 && errno == EINTR, "nanosleep interrupted by SIGALRM: EINTR");
		CHECK(rem.tv_sec < 10 && rem.tv_sec >= 8, "the remaining time is reported");
	}

	errno = 0;
	req.tv_sec = 0;
	req.tv_nsec = 1000000000;
	CHECK(nanosleep(&req, NULL) == -1 && errno == EINVAL, "tv_nsec of 1e9: EINVAL");
	req.tv_sec = -1;
	req.tv_nsec = 0;
	errno = 0;
	CHECK(nanosleep(&req, NULL) == -1 && errno == EINVAL, "negative tv_sec: EINVAL");

	/* The wall clock. */
	CHECK(gettimeofday(&tv, NULL) == 0, "gettimeofday");
	CHECK(tv.tv_sec > 1577836800 && tv.tv_usec >= 0 && tv.tv_usec < 1000000, "the wall clock says after 2020-01-01");
	t0 = ts(CLOCK_REALTIME);
	CHECK(t0 - (tv.tv_sec + tv.tv_usec / 1e6) < 2.0 && t0 - (tv.tv_sec + tv.tv_usec / 1e6) > -0.001,
	    "CLOCK_REALTIME agrees with gettimeofday");
	CHECK(labs((long)time(NULL) - (long)tv.tv_sec) <= 2, "time() agrees too");
	{
		struct tm tm;
		time_t epoch = 86400 * 365;
		char buf[64];

		gmtime_r(&epoch, &tm);
		strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S %a", &tm);
		printf("gmtime(365 days) = %s\n", buf);
		epoch = 2000000000;
		gmtime_r(&epoch, &tm);
		strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S %j", &tm);
		printf("gmtime(2e9) = %s\n", buf);
		tm.tm_year = 124; tm.tm_mon = 1; tm.tm_mday = 29;
		tm.tm_hour = 12; tm.tm_min = 0; tm.tm_sec = 0;
		printf("timegm(2024-02-29 12:00) = %lld\n", (long long)timegm(&tm));
	}

	/* CPU time: advances with work, never backwards. */
	{
		volatile unsigned long x = 0;
		double c0 = ts(CLOCK_PROCESS_CPUTIME_ID), c1;
		struct tms tb;

		for (unsigned long i = 0; i < 3000000; i++)
			x += i;
		c1 = ts(CLOCK_PROCESS_CPUTIME_ID);
		CHECK(c1 >= c0, "CLOCK_PROCESS_CPUTIME_ID does not go back");
		CHECK(ts(CLOCK_THREAD_CPUTIME_ID) >= 0, "CLOCK_THREAD_CPUTIME_ID reads");
		CHECK(times(&tb) != (clock_t)-1 && tb.tms_utime >= 0, "times()");
		CHECK(clock() >= 0, "clock()");
	}
	errno = 0;
	CHECK(clock_gettime((clockid_t)1234, &req) == -1 && errno == EINVAL, "clock_gettime of an unknown clock: EINVAL");
	return corpus_done();
}
