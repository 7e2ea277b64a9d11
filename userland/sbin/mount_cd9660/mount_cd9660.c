/*
 * mount_cd9660: mount an ISO-9660 file system (always read-only), with
 * mount(2).
 */
#include <sys/mount.h>

#include <err.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libutil.h"

static void
usage(void)
{
	fprintf(stderr, "usage: mount_cd9660 [-egjrv] [-o options] [-s startsector] "
	    "special node\n");
	exit(1);
}

int
main(int argc, char *argv[])
{
	char data[1024], node[PATH_MAX], *opt, *p, *s;
	unsigned long flags = MS_RDONLY;
	int ch;

	data[0] = '\0';
	while ((ch = getopt(argc, argv, "+egjo:rs:v")) != -1) {
		switch (ch) {
		case 'e': case 'g': case 'j': case 'r': case 's': case 'v':
			break;		/* Rock Ridge is always used when present */
		case 'o':
			if ((s = strdup(optarg)) == NULL)
				err(1, NULL);
			for (p = s; (opt = strsep(&p, ",")) != NULL;) {
				if (strcmp(opt, "ro") == 0 || strcmp(opt, "rdonly") == 0 ||
				    strcmp(opt, "rw") == 0)
					;
				else if (strcmp(opt, "nosuid") == 0)
					flags |= MS_NOSUID;
				else if (strcmp(opt, "nodev") == 0)
					flags |= MS_NODEV;
				else if (strcmp(opt, "noexec") == 0)
					flags |= MS_NOEXEC;
				else if (*opt != '\0') {
					if (data[0] != '\0')
						strlcat(data, ",", sizeof(data));
					strlcat(data, opt, sizeof(data));
				}
			}
			free(s);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 2)
		usage();
	if (realpath(argv[1], node) == NULL)
		err(1, "%s", argv[1]);
	if (mount(argv[0], node, "cd9660", flags,
	    data[0] != '\0' ? data : NULL) == -1)
		err(1, "%s", argv[0]);
	return (0);
}
