/*
 * uname: display information about the system.  The letters are BSD's:
 * -s system, -n node, -r release, -v version, -m machine (hardware),
 * -p processor (the same, for us), -i ident (the kernel config), -a all.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/utsname.h>
#include <unistd.h>

#define SFLAG 0x01
#define NFLAG 0x02
#define RFLAG 0x04
#define VFLAG 0x08
#define MFLAG 0x10
#define PFLAG 0x20
#define IFLAG 0x40

static void
usage(void)
{
	fprintf(stderr, "usage: uname [-aimnprsv]\n");
	exit(1);
}

int
main(int argc, char *argv[])
{
	struct utsname u;
	int ch, flags = 0, space = 0;

	while ((ch = getopt(argc, argv, "+aimnprsv")) != -1) {
		switch (ch) {
		case 'a': flags |= SFLAG | NFLAG | RFLAG | VFLAG | MFLAG; break;
		case 'i': flags |= IFLAG; break;
		case 'm': flags |= MFLAG; break;
		case 'n': flags |= NFLAG; break;
		case 'p': flags |= PFLAG; break;
		case 'r': flags |= RFLAG; break;
		case 's': flags |= SFLAG; break;
		case 'v': flags |= VFLAG; break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();
	if (flags == 0)
		flags = SFLAG;
	if (uname(&u) == -1)
		err(1, "uname");
	const char *vals[] = { u.sysname, u.nodename, u.release, u.version, u.machine,
	    u.machine, "VKERNEL64" };
	for (int i = 0; i < 7; i++) {
		if (!(flags & (1 << i)))
			continue;
		printf("%s%s", space++ ? " " : "", vals[i]);
	}
	printf("\n");
	return (0);
}
