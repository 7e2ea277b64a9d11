/*
 * which: locate programs in $PATH.  Nothing is printed for a program not
 * found; the exit status says so.
 */
#include <err.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int allpaths, silent;

static void
usage(void)
{
	fprintf(stderr, "usage: which [-as] program ...\n");
	exit(1);
}

static int
isexec(const char *path)
{
	struct stat sb;

	return (stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && access(path, X_OK) == 0);
}

static int
search(const char *prog, const char *path)
{
	char buf[PATH_MAX];
	int found = 0;

	if (strchr(prog, '/') != NULL) {
		if (isexec(prog)) {
			if (!silent)
				printf("%s\n", prog);
			return (1);
		}
		return (0);
	}
	const char *p = path;
	for (;;) {
		const char *end = strchr(p, ':');
		size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
		/* An empty element means the current directory. */
		if (len == 0)
			snprintf(buf, sizeof(buf), "./%s", prog);
		else
			snprintf(buf, sizeof(buf), "%.*s/%s", (int)len, p, prog);
		if (isexec(buf)) {
			if (!silent)
				printf("%s\n", buf);
			found = 1;
			if (!allpaths)
				break;
		}
		if (end == NULL)
			break;
		p = end + 1;
	}
	return (found);
}

int
main(int argc, char *argv[])
{
	const char *path;
	int ch, notfound = 0;

	while ((ch = getopt(argc, argv, "+as")) != -1) {
		switch (ch) {
		case 'a': allpaths = 1; break;
		case 's': silent = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage();
	if ((path = getenv("PATH")) == NULL || *path == '\0')
		path = "/bin:/usr/bin";
	for (; *argv != NULL; argv++)
		if (!search(*argv, path))
			notfound = 1;
	return (notfound);
}
