/*
 * echo: write arguments to the standard output.
 *
 * BSD echo takes exactly one option, -n, and no others: "echo -e x" prints
 * "-e x".  A trailing "\c" on the last argument also suppresses the newline.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
main(int argc, char *argv[])
{
	int nflag = 0;

	(void)argc;
	argv++;
	if (*argv != NULL && strcmp(*argv, "-n") == 0) {
		nflag = 1;
		argv++;
	}
	while (*argv != NULL) {
		const char *s = *argv;
		size_t len = strlen(s);

		if (argv[1] == NULL && len >= 2 && strcmp(s + len - 2, "\\c") == 0) {
			fwrite(s, 1, len - 2, stdout);
			nflag = 1;
		} else
			fputs(s, stdout);
		if (*++argv != NULL)
			putchar(' ');
	}
	if (!nflag)
		putchar('\n');
	if (fflush(stdout) != 0 || ferror(stdout))
		err(1, "stdout");
	return (0);
}
