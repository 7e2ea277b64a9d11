/* posix_spawn (clone3 CLONE_VM|CLONE_VFORK), pipes across exec, close-on-exec,
 * execvp's PATH search, getppid after the parent dies (reparenting to init). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv) {
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && strcmp(argv[1], "child") == 0) {
		printf("child: argc=%d fd5=%s\n", argc, fcntl(5, F_GETFD) == -1 ? "closed" : "open");
		return 9;
	}
	if (argc > 1 && strcmp(argv[1], "writer") == 0) {
		write(1, "through the pipe\n", 17);
		return 0;
	}
	int fd = open("/bin/spawn", O_RDONLY | O_CLOEXEC);
	dup3(fd, 5, O_CLOEXEC);
	pid_t pid;
	char *args[] = { "spawn", "child", "x", NULL };
	int r = posix_spawn(&pid, "/bin/spawn", NULL, NULL, args, environ);
	int st;
	waitpid(pid, &st, 0);
	printf("posix_spawn: %d exit=%d\n", r, WEXITSTATUS(st));

	int p[2];
	pipe2(p, O_CLOEXEC);
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		setenv("PATH", "/nonexistent:/bin", 1);
		execlp("spawn", "spawn", "writer", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	char buf[64] = { 0 };
	int n = read(p[0], buf, sizeof buf - 1);
	waitpid(pid, &st, 0);
	printf("read %d: %s", n, buf);
	printf("execlp child exit=%d\n", WEXITSTATUS(st));

	/* An orphan is adopted by init. */
	pid = fork();
	if (pid == 0) {
		if (fork() == 0) {
			usleep(100000);
			printf("orphan's parent is init: %d\n", getppid() == 1);
			_exit(0);
		}
		_exit(0);
	}
	waitpid(pid, &st, 0);
	sleep(1);
	while (wait(NULL) > 0)
		;
	return 0;
}
