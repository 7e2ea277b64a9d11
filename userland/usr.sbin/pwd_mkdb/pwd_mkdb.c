/*
 * pwd_mkdb: install a password file, after BSD's pwd_mkdb(8).
 *
 *	pwd_mkdb [-p] [-d directory] file
 *
 * file is a master.passwd(5) candidate (vipw's and passwd's /etc/ptmp).
 * Every line is checked: ten colon-separated fields, a sane login name,
 * numeric uid, gid, change and expire, no name twice.  With -p the
 * 7-field passwd(5), secret fields replaced by "*", is written beside it
 * (through a temporary file and rename(2)); then file is renamed into
 * place as <directory>/master.passwd, mode 0600.  There are no Berkeley
 * DB files: glibc reads the text files directly.
 */
#include <sys/stat.h>
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAXLINE	1024

static void
usage(void)
{
	fprintf(stderr, "usage: pwd_mkdb [-p] [-d directory] file\n");
	exit(1);
}

static int
numeric(const char *s, int allow_empty)
{
	if (*s == '\0')
		return (allow_empty);
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return (0);
	return (1);
}

/* Split a line into its 10 fields in place; 0 if it is not an entry. */
static int
split(char *line, char *f[10])
{
	char *p = line;
	int i;

	for (i = 0; i < 10; i++) {
		f[i] = p;
		if ((p = strchr(p, ':')) == NULL)
			break;
		*p++ = '\0';
	}
	return (i == 9 && p == NULL);
}

static int
goodname(const char *s)
{
	if (*s == '\0' || *s == '-' || *s == '+' || strlen(s) > 32)
		return (0);
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' && *s != '.' &&
		    !(*s == '$' && s[1] == '\0'))
			return (0);
	return (1);
}

int
main(int argc, char *argv[])
{
	char *dir = "/etc", line[MAXLINE + 2], copy[MAXLINE + 2], *f[10];
	char passwd[PATH_MAX], ptmp[PATH_MAX], master[PATH_MAX];
	char **names = NULL;
	size_t nnames = 0, i;
	int ch, pflag = 0, bad = 0, fd = -1;
	long lineno = 0;
	FILE *in, *out = NULL;

	while ((ch = getopt(argc, argv, "+d:p")) != -1) {
		switch (ch) {
		case 'd':
			dir = optarg;
			break;
		case 'p':
			pflag = 1;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		usage();
	snprintf(passwd, sizeof(passwd), "%s/passwd", dir);
	snprintf(ptmp, sizeof(ptmp), "%s/passwd.tmp", dir);
	snprintf(master, sizeof(master), "%s/master.passwd", dir);

	if ((in = fopen(argv[0], "r")) == NULL)
		err(1, "%s", argv[0]);
	if (pflag) {
		if ((fd = open(ptmp, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1 ||
		    (out = fdopen(fd, "w")) == NULL)
			err(1, "%s", ptmp);
	}
	while (fgets(line, sizeof(line), in) != NULL) {
		lineno++;
		size_t l = strlen(line);
		if (l > 0 && line[l - 1] == '\n')
			line[--l] = '\0';
		else if (!feof(in)) {
			warnx("%s: line %ld: line too long", argv[0], lineno);
			bad = 1;
			break;
		}
		if (line[0] == '#' || line[0] == '\0')
			continue;
		strcpy(copy, line);
		if (!split(copy, f)) {
			warnx("%s: line %ld: corrupted entry", argv[0], lineno);
			bad = 1;
			continue;
		}
		if (!goodname(f[0])) {
			warnx("%s: line %ld: invalid login name \"%s\"", argv[0], lineno, f[0]);
			bad = 1;
		}
		if (!numeric(f[2], 0) || strtoul(f[2], NULL, 10) > UINT_MAX - 1 ||
		    !numeric(f[3], 0) || strtoul(f[3], NULL, 10) > UINT_MAX - 1) {
			warnx("%s: line %ld: invalid uid or gid", argv[0], lineno);
			bad = 1;
		}
		if (!numeric(f[5], 1) || !numeric(f[6], 1)) {
			warnx("%s: line %ld: invalid change or expire time", argv[0], lineno);
			bad = 1;
		}
		for (i = 0; i < nnames; i++)
			if (strcmp(names[i], f[0]) == 0) {
				warnx("%s: line %ld: duplicate entry for \"%s\"", argv[0], lineno, f[0]);
				bad = 1;
			}
		if ((names = realloc(names, (nnames + 1) * sizeof(*names))) == NULL ||
		    (names[nnames++] = strdup(f[0])) == NULL)
			err(1, NULL);
		if (out != NULL)
			fprintf(out, "%s:*:%s:%s:%s:%s:%s\n", f[0], f[2], f[3], f[7], f[8], f[9]);
	}
	if (ferror(in))
		err(1, "%s", argv[0]);
	fclose(in);
	if (out != NULL && (fflush(out) == EOF || fsync(fd) == -1 || fclose(out) == EOF)) {
		warn("%s", ptmp);
		bad = 1;
	}
	if (bad) {
		if (pflag)
			unlink(ptmp);
		errx(1, "%s: not installed", argv[0]);
	}
	/* passwd first: master.passwd, the authority, goes last */
	if (pflag && rename(ptmp, passwd) == -1) {
		warn("%s", passwd);
		unlink(ptmp);
		exit(1);
	}
	if (chmod(argv[0], 0600) == -1)
		warn("%s", argv[0]);
	if (rename(argv[0], master) == -1)
		err(1, "%s to %s", argv[0], master);
	return (0);
}
