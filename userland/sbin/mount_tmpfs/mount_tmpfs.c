/*
 * mount_tmpfs: mount an efficient memory file system, with mount(2).
 * -s size and -m mode become the tmpfs data options size= and mode=.
 */
#include <sys/mount.h>

#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libutil.h"

static void
usage(void)
{
	fprintf(stderr, "usage: mount_tmpfs [-m mode] [-o options] [-s size] "
	    "tmpfs mount_point\n");
	exit(1);
}

int
main(int argc, char *argv[])
{
	char data[1024], node[PATH_MAX], *opt, *p, *s;
	unsigned long flags = 0;
	uint64_t size;
	int ch;

	data[0] = '\0';
	while ((ch = getopt(argc, argv, "+g:m:n:o:s:u:")) != -1) {
		switch (ch) {
		case 'g': case 'n': case 'u':
			break;		/* the root of a tmpfs belongs to root */
		case 'm':
			if (strspn(optarg, "01234567") != strlen(optarg) ||
			    strlen(optarg) > 4)
				errx(1, "invalid file mode %s", optarg);
			if (data[0] != '\0')
				strlcat(data, ",", sizeof(data));
			strlcat(data, "mode=", sizeof(data));
			strlcat(data, optarg, sizeof(data));
			break;
		case 'o':
			if ((s = strdup(optarg)) == NULL)
				err(1, NULL);
			for (p = s; (opt = strsep(&p, ",")) != NULL;) {
				if (strcmp(opt, "ro") == 0 || strcmp(opt, "rdonly") == 0)
					flags |= MS_RDONLY;
				else if (strcmp(opt, "rw") == 0)
					flags &= ~(unsigned long)MS_RDONLY;
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
		case 's':
			if (expand_number(optarg, &size) == -1)
				errx(1, "invalid size %s", optarg);
			if (data[0] != '\0')
				strlcat(data, ",", sizeof(data));
			snprintf(data + strlen(data), sizeof(data) - strlen(data),
			    "size=%llu", (unsigned long long)size);
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
	if (mount(argv[0], node, "tmpfs", flags,
	    data[0] != '\0' ? data : NULL) == -1)
		err(1, "%s", node);
	return (0);
}
