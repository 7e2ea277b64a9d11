/*
 * mount: mount file systems, or list them.  With no arguments the mounts
 * are read from /proc/mounts (the vkernel's procfs, Linux's format) and
 * printed the BSD way: "/dev/vkd0s0a on / (ufs, local)".  Mounting is
 * mount(2) directly, for every type the kernel knows (ufs, cd9660, tmpfs,
 * procfs, devfs, hostfs); -a mounts what /etc/fstab lists and is not
 * mounted yet.
 */
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>

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

/* statfs(2) f_type of the file systems that are read-only by nature. */
#define HOSTFS_MAGIC	0x00c0ffee
#define ISOFS_MAGIC	0x9660

static int	debug, fflag, verbose;

struct opts {
	unsigned long	flags;		/* MS_* */
	char		data[1024];	/* the options mount(2) passes on */
};

static void
usage(void)
{
	fprintf(stderr, "%s\n%s\n%s\n",
	    "usage: mount [-dfruvw] [-o options] [-t ufs | external_type] special node",
	    "       mount [-adfruvw] [-t ufs | external_type]",
	    "       mount [-dfruvw] special | node");
	exit(1);
}

/* Fold an option list ("ro,noexec,size=1m") into flags and data. */
static void
addopts(struct opts *o, const char *list)
{
	char *s, *p, *opt;

	if (list == NULL)
		return;
	if ((s = strdup(list)) == NULL)
		err(1, NULL);
	p = s;
	while ((opt = strsep(&p, ",")) != NULL) {
		if (*opt == '\0')
			continue;
		if (strcmp(opt, "ro") == 0 || strcmp(opt, "rdonly") == 0)
			o->flags |= MS_RDONLY;
		else if (strcmp(opt, "rw") == 0)
			o->flags &= ~(unsigned long)MS_RDONLY;
		else if (strcmp(opt, "nosuid") == 0)
			o->flags |= MS_NOSUID;
		else if (strcmp(opt, "suid") == 0)
			o->flags &= ~(unsigned long)MS_NOSUID;
		else if (strcmp(opt, "nodev") == 0)
			o->flags |= MS_NODEV;
		else if (strcmp(opt, "dev") == 0)
			o->flags &= ~(unsigned long)MS_NODEV;
		else if (strcmp(opt, "noexec") == 0)
			o->flags |= MS_NOEXEC;
		else if (strcmp(opt, "exec") == 0)
			o->flags &= ~(unsigned long)MS_NOEXEC;
		else if (strcmp(opt, "update") == 0)
			o->flags |= MS_REMOUNT;
		else if (strcmp(opt, "noauto") == 0 || strcmp(opt, "auto") == 0 ||
		    strcmp(opt, "defaults") == 0 || strcmp(opt, "late") == 0 ||
		    strcmp(opt, "sw") == 0 || strcmp(opt, "xx") == 0)
			;
		else {
			if (o->data[0] != '\0')
				strlcat(o->data, ",", sizeof(o->data));
			strlcat(o->data, opt, sizeof(o->data));
		}
	}
	free(s);
}

/* Is a file system mounted on node?  Its st_dev differs from its parent's. */
static int
ismounted(const char *node)
{
	struct stat sb, psb;
	char parent[PATH_MAX];

	if (strcmp(node, "/") == 0)
		return (1);
	if (stat(node, &sb) == -1)
		return (0);
	snprintf(parent, sizeof(parent), "%s/..", node);
	if (stat(parent, &psb) == -1)
		return (0);
	return (sb.st_dev != psb.st_dev || sb.st_ino == psb.st_ino);
}

static const char *
kerneltype(const char *type)
{
	if (strcmp(type, "ffs") == 0)
		return ("ufs");
	if (strcmp(type, "proc") == 0)
		return ("procfs");
	return (type);
}

static int
mountfs(const char *type, const char *special, const char *node,
    unsigned long flags, const char *optlist)
{
	struct opts o;
	struct statfs sf;
	char realnode[PATH_MAX];

	memset(&o, 0, sizeof(o));
	o.flags = flags;
	addopts(&o, optlist);
	if (fflag) {
		if (o.data[0] != '\0')
			strlcat(o.data, ",", sizeof(o.data));
		strlcat(o.data, "force", sizeof(o.data));
	}
	if (realpath(node, realnode) == NULL) {
		warn("%s", node);
		return (1);
	}
	if (verbose || debug)
		printf("mount -t %s%s%s %s %s\n", type,
		    o.data[0] != '\0' || (o.flags & MS_RDONLY) ? " -o " : "",
		    (o.flags & MS_RDONLY) ? (o.data[0] != '\0' ? "ro," : "ro") : "",
		    special, realnode);
	if (debug)
		return (0);
	/*
	 * A host directory or a CD cannot become writable; the kernel's
	 * MS_REMOUNT would only change the flags it reports.
	 */
	if ((o.flags & MS_REMOUNT) && !(o.flags & MS_RDONLY) &&
	    statfs(realnode, &sf) == 0 &&
	    (sf.f_type == HOSTFS_MAGIC || sf.f_type == ISOFS_MAGIC)) {
		errno = EROFS;
		warn("%s", realnode);
		return (1);
	}
	if (strcmp(type, "cd9660") == 0)
		o.flags |= MS_RDONLY;
	if (mount(special, realnode, kerneltype(type), o.flags,
	    o.data[0] != '\0' ? o.data : NULL) == -1) {
		switch (errno) {
		case ENODEV:
			warnx("%s: %s: unknown file system type", special, type);
			break;
		case EBUSY:
			warnx("%s: %s: Device busy", special, realnode);
			break;
		default:
			warn("%s", special);
			break;
		}
		return (1);
	}
	return (0);
}

/* One line of the listing, from /proc/mounts. */
static void
prmount(const struct mntent *m)
{
	int ro;

	ro = hasmntopt(m, "ro") != NULL;
	printf("%s on %s (%s, local%s%s%s%s)\n", m->mnt_fsname, m->mnt_dir,
	    m->mnt_type,
	    ro ? ", read-only" : "",
	    hasmntopt(m, "nosuid") != NULL ? ", nosuid" : "",
	    hasmntopt(m, "nodev") != NULL ? ", nodev" : "",
	    hasmntopt(m, "noexec") != NULL ? ", noexec" : "");
}

/* The current mount entry of a node or special, copied out. */
static int
getmounted(const char *name, char *special, char *node, char *type, size_t sz)
{
	struct mntent *m;
	FILE *fp;
	int found = 0;

	if ((fp = setmntent(MOUNTS, "r")) == NULL)
		return (0);
	while ((m = getmntent(fp)) != NULL) {
		if (strcmp(m->mnt_dir, name) == 0 ||
		    strcmp(m->mnt_fsname, name) == 0) {
			strlcpy(special, m->mnt_fsname, sz);
			strlcpy(node, m->mnt_dir, sz);
			strlcpy(type, m->mnt_type, sz);
			found = 1;	/* the last one wins: it is on top */
		}
	}
	endmntent(fp);
	return (found);
}

int
main(int argc, char *argv[])
{
	struct fstab *fs;
	struct mntent *m;
	FILE *fp;
	char *options = NULL, *vfstype = NULL, *typelist = NULL;
	char special[PATH_MAX], node[PATH_MAX], type[PATH_MAX], optbuf[1024];
	unsigned long flags = 0;
	int ch, all = 0, rval = 0, update = 0;

	while ((ch = getopt(argc, argv, "+adFfo:rt:uvw")) != -1) {
		switch (ch) {
		case 'a': all = 1; break;
		case 'd': debug = 1; break;
		case 'F': break;		/* fstab is /etc/fstab */
		case 'f': fflag = 1; break;
		case 'o':
			if (options == NULL)
				options = strdup(optarg);
			else {
				size_t len = strlen(options) + strlen(optarg) + 2;
				char *n = malloc(len);

				if (n == NULL)
					err(1, NULL);
				snprintf(n, len, "%s,%s", options, optarg);
				free(options);
				options = n;
			}
			if (options == NULL)
				err(1, NULL);
			break;
		case 'r': flags |= MS_RDONLY; break;
		case 't':
			if (typelist != NULL)
				errx(1, "only one -t option may be specified");
			typelist = optarg;
			vfstype = optarg;
			break;
		case 'u': update = 1; flags |= MS_REMOUNT; break;
		case 'v': verbose = 1; break;
		case 'w': flags &= ~(unsigned long)MS_RDONLY; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;

	if (all) {
		if (argc != 0)
			usage();
		if (setfsent() == 0)
			errx(1, "%s: cannot open", _PATH_FSTAB);
		while ((fs = getfsent()) != NULL) {
			if (strcmp(fs->fs_type, FSTAB_SW) == 0 ||
			    strcmp(fs->fs_type, FSTAB_XX) == 0)
				continue;
			if (hasmntopt(&(struct mntent){ .mnt_opts = fs->fs_mntops },
			    "noauto") != NULL)
				continue;
			if (!vfs_selected(fs->fs_vfstype, typelist))
				continue;
			if (strcmp(fs->fs_file, "/") == 0 || ismounted(fs->fs_file))
				continue;
			snprintf(optbuf, sizeof(optbuf), "%s%s%s",
			    fs->fs_mntops, options != NULL ? "," : "",
			    options != NULL ? options : "");
			if (mountfs(fs->fs_vfstype, fs->fs_spec, fs->fs_file,
			    flags, optbuf) != 0)
				rval = 1;
		}
		endfsent();
		return (rval);
	}

	if (argc == 0) {
		if (update || options != NULL || (flags & MS_RDONLY))
			usage();
		if ((fp = setmntent(MOUNTS, "r")) == NULL)
			err(1, "%s", MOUNTS);
		while ((m = getmntent(fp)) != NULL)
			if (vfs_selected(m->mnt_type, typelist))
				prmount(m);
		endmntent(fp);
		return (0);
	}

	if (argc == 1) {
		/* A node or special: its fstab entry, or (-u) its current mount. */
		if (update && getmounted(argv[0], special, node, type,
		    sizeof(special)))
			return (mountfs(type, special, node, flags,
			    options) != 0);
		if ((fs = getfsfile(argv[0])) == NULL &&
		    (fs = getfsspec(argv[0])) == NULL)
			errx(1, "%s: unknown special file or file system",
			    argv[0]);
		if (strcmp(fs->fs_type, FSTAB_XX) == 0)
			errx(1, "%s has unknown file system type", argv[0]);
		snprintf(optbuf, sizeof(optbuf), "%s%s%s", fs->fs_mntops,
		    options != NULL ? "," : "", options != NULL ? options : "");
		return (mountfs(fs->fs_vfstype, fs->fs_spec, fs->fs_file, flags,
		    update ? options : optbuf) != 0);
	}

	if (argc != 2)
		usage();
	if (vfstype == NULL)
		vfstype = "ufs";
	if (strchr(vfstype, ',') != NULL)
		usage();
	return (mountfs(vfstype, argv[0], argv[1], flags, options) != 0);
}
