/* execve failures leave the caller intact: E2BIG, ENOEXEC for foreign/truncated
 * ELF files, ELOOP for #! nesting, EACCES, ENOENT. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void try(const char *what, const char *path, char **argv) {
	char *envp[] = { NULL };
	errno = 0;
	execve(path, argv, envp);
	printf("%s: %s\n", what, strerror(errno));
}

static void writefile(const char *p, const void *data, size_t n, int mode) {
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, mode);
	write(fd, data, n);
	close(fd);
}

int main(int argc, char **argv) {
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1) { printf("ran with %d args\n", argc); return 0; }
	char *big = malloc(200000);
	memset(big, 'x', 199999); big[199999] = 0;
	char *a1[] = { "execerr", big, NULL };
	try("one 200 KB argument", "/bin/execerr", a1);
	char **many = calloc(40001, sizeof *many);
	for (int i = 0; i < 40000; i++) many[i] = big + 199999 - 60;
	try("2.4 MB of arguments", "/bin/execerr", many);

	/* A truncated copy of ourselves and a foreign-architecture header. */
	int fd = open("/bin/execerr", O_RDONLY);
	char hdr[200];
	read(fd, hdr, sizeof hdr);
	close(fd);
	writefile("/tmp/trunc", hdr, 100, 0755);
	char *a0[] = { "x", NULL };
	try("truncated ELF", "/tmp/trunc", a0);
	hdr[18] = 62; /* EM_X86_64 */
	writefile("/tmp/x86", hdr, sizeof hdr, 0755);
	try("x86-64 ELF", "/tmp/x86", a0);
	writefile("/tmp/empty", "", 0, 0755);
	try("empty file", "/tmp/empty", a0);

	/* #! chains: 4 levels run, 5 fail. */
	char buf[64];
	for (int i = 1; i <= 5; i++) {
		char p[32];
		snprintf(p, sizeof p, "/tmp/s%d", i);
		if (i == 1) snprintf(buf, sizeof buf, "#!/bin/execerr\n");
		else snprintf(buf, sizeof buf, "#!/tmp/s%d\n", i - 1);
		writefile(p, buf, strlen(buf), 0755);
	}
	try("#! nested 5 deep", "/tmp/s5", a0);
	writefile("/tmp/noexec", "#!/bin/execerr\n", 15, 0644);
	try("no x bit", "/tmp/noexec", a0);
	try("missing", "/tmp/nothere", a0);
	char *a2[] = { "s4", NULL };
	try("#! nested 4 deep", "/tmp/s4", a2);
	return 1;
}
