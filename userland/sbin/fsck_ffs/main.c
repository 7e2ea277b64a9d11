/*
 * fsck_ffs: check and repair a UFS1 or UFS2 file system, as BSD's
 * fsck_ffs(8): passes 1-5 over inodes, directories, connectivity, link
 * counts and cylinder groups.  -p (preen) fixes only what is safe after
 * an unclean shutdown and stops with exit 8 on anything else; -y and -n
 * answer every question; -f checks a file system marked clean.  The
 * special may be a disk device or an image file (of a file system, or of
 * a disk with a label: partition 'a' is checked).
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libutil.h>

#include "fsck.h"

struct fs *sblock;
int is_ufs2;
const char *cdevname;
int fsreadfd = -1, fswritefd = -1;
off_t partoff;
int preen, yflag, nflag, fflag, debug, bflag;
int fsmodified, inomodified, resolved, hotroot, ronly_mount;
uint32_t maxino;
int64_t maxfsblock;
struct inostat *inostat;
uint8_t *blockmap;
int64_t *duplist;
size_t nduplist;
uint32_t lfdir;
uint32_t *cginited;
const char *errname;
int64_t n_files, n_blks;

static void
usage(void)
{
	fprintf(stderr, "usage: fsck_ffs [-dfnpy] [-b block] filesystem ...\n");
	exit(FSCK_EXIT_USAGE);
}

static void
totals(int64_t *nffree, int64_t *nbfree)
{
	if (is_ufs2) {
		*nffree = sblock->fs_cstotal.cs_nffree;
		*nbfree = sblock->fs_cstotal.cs_nbfree;
	} else {
		*nffree = sblock->fs_old_cstotal.cs_nffree;
		*nbfree = sblock->fs_old_cstotal.cs_nbfree;
	}
}

static void
summary(const char *lead)
{
	int64_t nffree, nbfree, dsize, freefrags;

	totals(&nffree, &nbfree);
	dsize = is_ufs2 ? sblock->fs_dsize : sblock->fs_old_dsize;
	freefrags = nffree + (int64_t)sblock->fs_frag * nbfree;
	if (lead != NULL)
		pwarn("%s, %jd free ", lead, (intmax_t)freefrags);
	else
		pwarn("%jd files, %jd used, %jd free ", (intmax_t)n_files,
		    (intmax_t)(dsize - freefrags), (intmax_t)freefrags);
	printf("(%jd frags, %jd blocks, %.1f%% fragmentation)\n", (intmax_t)nffree, (intmax_t)nbfree,
	    dsize > 0 ? (double)nffree * 100.0 / (double)dsize : 0.0);
}

static int
checkfilesys(const char *dev)
{
	int r, modified;

	n_files = n_blks = 0;
	fsmodified = inomodified = 0;
	resolved = 1;
	lfdir = 0;
	nduplist = 0;
	sblock = NULL;
	r = setup(dev);
	if (r == 0) {
		if (preen)
			pfatal("CAN'T CHECK FILE SYSTEM.");
		ckfini(0);
		return (FSCK_EXIT_CHECK_FAILED);
	}
	if (r == 2) {
		if (!preen)
			printf("** FILE SYSTEM CLEAN; SKIPPING CHECKS\n");
		summary("clean");
		ckfini(0);
		return (FSCK_EXIT_OK);
	}
	if (!preen) {
		printf("** Last Mounted on %.*s\n", MAXMNTLEN, (const char *)sblock->fs_fsmnt);
		if (hotroot)
			printf("** Root file system\n");
		printf("** Phase 1 - Check Blocks and Sizes\n");
	}
	pass1();
	if (nduplist > 0) {
		if (!preen)
			printf("** Phase 1b - Rescan For More DUPS\n");
		pass1b();
	}
	if (!preen)
		printf("** Phase 2 - Check Pathnames\n");
	pass2();
	if (!preen)
		printf("** Phase 3 - Check Connectivity\n");
	pass3();
	if (!preen)
		printf("** Phase 4 - Check Reference Counts\n");
	pass4();
	if (!preen)
		printf("** Phase 5 - Check Cyl groups\n");
	pass5();
	summary(NULL);
	modified = fsmodified;
	ckfini(resolved);
	if (modified && !preen)
		printf("\n***** FILE SYSTEM WAS MODIFIED *****\n");
	/*
	 * A mounted read-only root re-reads its superblock and cylinder groups
	 * when it is updated to read-write; changed inodes or directories it
	 * may have cached need a reboot (DragonFly's MNT_RELOAD does not exist here).
	 */
	if (hotroot && inomodified) {
		if (!preen)
			printf("\n***** REBOOT NOW *****\n");
		sync();
		return (FSCK_EXIT_ROOTCHANGED);
	}
	return (resolved ? FSCK_EXIT_OK : FSCK_EXIT_UNRESOLVED);
}

int
main(int argc, char *argv[])
{
	int ch, ret = 0, r;
	const char *errstr;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((ch = getopt(argc, argv, "+b:dfm:npyC")) != -1) {
		switch (ch) {
		case 'b':
			bflag = (int)strtonum(optarg, 1, 1 << 30, &errstr);
			if (errstr != NULL)
				errx(FSCK_EXIT_USAGE, "bad alternate superblock: %s", optarg);
			break;
		case 'd':
			debug = 1;
			break;
		case 'f':
			fflag = 1;
			break;
		case 'm':
		case 'C':
			break;
		case 'n':
			nflag = 1;
			yflag = 0;
			break;
		case 'p':
			preen = 1;
			break;
		case 'y':
			yflag = 1;
			nflag = 0;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	if (preen && (nflag || yflag))
		usage();
	for (; argc > 0; argc--, argv++) {
		r = checkfilesys(*argv);
		if (r > ret)
			ret = r;
	}
	return (ret);
}
