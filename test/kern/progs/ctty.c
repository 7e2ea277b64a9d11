/* pid 1's stdio is the console, its controlling terminal; it leads session 1. */
#include <fcntl.h>
#include <stdio.h>
#include <termios.h>
#include <unistd.h>
int main(void) {
	printf("isatty: %d %d %d\n", isatty(0), isatty(1), isatty(2));
	printf("pid=%d sid=%d pgid=%d fg=%d\n", getpid(), getsid(0), getpgrp(), tcgetpgrp(0));
	int fd = open("/dev/tty", O_RDWR);
	printf("/dev/tty opens: %d\n", fd >= 0);
	printf("ttyname: %s\n", ttyname(0) ? ttyname(0) : "(null)");
	return 0;
}
