/*
 * pwd: print the working directory.  -L trusts $PWD when it names the
 * current directory (and has no "." or ".." components); -P, the default
 * in BSD, prints the physical path.
 */
#include <err.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void
usage(void)
{
	fprintf(stderr, "usage: pwd [-L | -P]\n");
	exit(1);
}

static const char *
logical(void)
{
	const char *pwd = getenv("PWD");
	struct stat a, b;

	if (pwd == NULL || *pwd != '/')
		return (NULL);
	if (strstr(pwd, "/./") || strstr(pwd, "/../"))
		return (NULL);
	size_t n = strlen(pwd);
	if ((n >= 2 && strcmp(pwd + n - 2, "/.") == 0) ||
	    (n >= 3 && strcmp(pwd + n - 3, "/..") == 0))
		return (NULL);
	if (stat(pwd, &a) == -1 || stat(".", &b) == -1)
		return (NULL);
	if (a.st_dev != b.st_dev || a.st_ino != b.st_ino)
		return (NULL);
	return (pwd);
}

int
main(int argc, char *argv[])
{
	int ch, lflag = 0;
	const char *p;
	char buf[PATH_MAX];

	while ((ch = getopt(argc, argv, "+LP")) != -1) {
		switch (ch) {
		case 'L': lflag = 1; break;
		case 'P': lflag = 0; break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();
	if ((lflag && (p = logical()) != NULL) || (p = getcwd(buf, sizeof(buf))) != NULL)
		printf("%s\n", p);
	else
		err(1, ".");
	if (fflush(stdout) != 0)
		err(1, "stdout");
	return (0);
}
