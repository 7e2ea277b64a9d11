/*
 * dmesg: display the system message buffer, read with syslog(2)
 * (glibc's klogctl): SYSLOG_ACTION_SIZE_BUFFER for the size, then
 * SYSLOG_ACTION_READ_ALL.  Lines with a syslog priority ("<6>") lose it
 * unless -a is given, as BSD's dmesg does.
 */
#include <sys/klog.h>

#include <ctype.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SYSLOG_ACTION_READ_ALL		3
#define SYSLOG_ACTION_READ_CLEAR	4
#define SYSLOG_ACTION_SIZE_BUFFER	10

static void
usage(void)
{
	fprintf(stderr, "usage: dmesg [-ac]\n");
	exit(1);
}

int
main(int argc, char *argv[])
{
	int all = 0, clear = 0, ch, size, n, newl;
	char *buf, *p, *ep;

	while ((ch = getopt(argc, argv, "+ac")) != -1) {
		switch (ch) {
		case 'a': all = 1; break;
		case 'c': clear = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	if (argc != 0)
		usage();

	if ((size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0)) == -1)
		err(1, "syslog");
	if (size <= 0)
		size = 65536;
	if ((buf = malloc(size)) == NULL)
		err(1, NULL);
	n = klogctl(clear ? SYSLOG_ACTION_READ_CLEAR : SYSLOG_ACTION_READ_ALL,
	    buf, size);
	if (n == -1)
		err(1, "syslog");

	/* Print, stripping "<pri>" at the starts of lines. */
	ep = buf + n;
	for (newl = 1, p = buf; p < ep; p++) {
		ch = (unsigned char)*p;
		if (ch == '\0')
			continue;
		if (newl && ch == '<' && !all) {
			char *q = p + 1;

			while (q < ep && isdigit((unsigned char)*q))
				q++;
			if (q < ep && *q == '>' && q > p + 1) {
				p = q;
				newl = 0;
				continue;
			}
		}
		newl = ch == '\n';
		putchar(ch);
	}
	if (!newl)
		putchar('\n');
	if (fflush(stdout) == EOF || ferror(stdout))
		err(1, "stdout");
	free(buf);
	return (0);
}
