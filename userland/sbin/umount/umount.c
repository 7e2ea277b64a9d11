/*
 * umount: unmount file systems with umount2(2).  An operand is a mount
 * point or a special (looked up in /proc/mounts); -a unmounts what
 * /etc/fstab lists, -A everything mounted, in reverse order, the root
 * (and devfs, which the system needs) excepted.
 */
#include <sys/mount.h>

#include <err.h>
#include <errno.h>
#include <fstab.h>
#include <limits.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libutil.h"

#define MOUNTS	"/proc/mounts"

static int	fflag, verbose;

static void
usage(void)
{
	fprintf(stderr, "%s\n%s\n",
	    "usage: umount [-fv] special | node ...",
	    "       umount -a | -A [-fv] [-t type]");
	exit(1);
}

/* The mount point of name (itself, or a special's), from /proc/mounts. */
static int
mountpoint(const char *name, char *node, size_t sz)
{
	struct mntent *m;
	FILE *fp;
	int found = 0;

	if ((fp = setmntent(MOUNTS, "r")) == NULL)
		return (0);
	while ((m = getmntent(fp)) != NULL) {
		if (strcmp(m->mnt_dir, name) == 0 ||
		    strcmp(m->mnt_fsname, name) == 0) {
			strlcpy(node, m->mnt_dir, sz);
			found = 1;
		}
	}
	endmntent(fp);
	return (found);
}

static int
umountfs(const char *name)
{
	char node[PATH_MAX], rnode[PATH_MAX];

	if (realpath(name, rnode) != NULL && mountpoint(rnode, node, sizeof(node)))
		;
	else if (!mountpoint(name, node, sizeof(node))) {
		if (realpath(name, node) == NULL) {
			warn("%s", name);
			return (1);
		}
	}
	if (verbose)
		printf("%s: unmount from %s\n", name, node);
	if (umount2(node, fflag ? MNT_FORCE : 0) == -1) {
		if (errno == EINVAL)
			warnx("%s: not a file system root directory", node);
		else if (errno == EBUSY)
			warnx("%s: Device busy", node);
		else
			warn("%s", node);
		return (1);
	}
	return (0);
}

int
main(int argc, char *argv[])
{
	struct mntent *m;
	struct fstab *fs;
	FILE *fp;
	char **list = NULL, *typelist = NULL;
	size_t n = 0;
	int ch, all = 0, every = 0, rval = 0;

	while ((ch = getopt(argc, argv, "+aAft:v")) != -1) {
		switch (ch) {
		case 'a': all = 1; break;
		case 'A': every = 1; break;
		case 'f': fflag = 1; break;
		case 't': typelist = optarg; break;
		case 'v': verbose = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if ((all || every) ? argc != 0 : argc == 0)
		usage();
	if (all && every)
		usage();

	if (all || every) {
		/* Collect, then unmount the last mounted first. */
		if (all) {
			if (setfsent() == 0)
				errx(1, "%s: cannot open", _PATH_FSTAB);
			while ((fs = getfsent()) != NULL) {
				if (strcmp(fs->fs_file, "/") == 0 ||
				    strcmp(fs->fs_type, FSTAB_SW) == 0 ||
				    !vfs_selected(fs->fs_vfstype, typelist))
					continue;
				if ((list = reallocarray(list, n + 1, sizeof(*list))) == NULL ||
				    (list[n++] = strdup(fs->fs_file)) == NULL)
					err(1, NULL);
			}
			endfsent();
		} else {
			if ((fp = setmntent(MOUNTS, "r")) == NULL)
				err(1, "%s", MOUNTS);
			while ((m = getmntent(fp)) != NULL) {
				if (strcmp(m->mnt_dir, "/") == 0 ||
				    strcmp(m->mnt_type, "devfs") == 0 ||
				    !vfs_selected(m->mnt_type, typelist))
					continue;
				if ((list = reallocarray(list, n + 1, sizeof(*list))) == NULL ||
				    (list[n++] = strdup(m->mnt_dir)) == NULL)
					err(1, NULL);
			}
			endmntent(fp);
		}
		while (n-- > 0) {
			char node[PATH_MAX];

			/* -a: only what is mounted now. */
			if (all && !mountpoint(list[n], node, sizeof(node)))
				continue;
			if (umountfs(list[n]) != 0)
				rval = 1;
		}
		return (rval);
	}
	for (; *argv != NULL; argv++)
		if (umountfs(*argv) != 0)
			rval = 1;
	return (rval);
}
