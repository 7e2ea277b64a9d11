/*
 * fsck_ffs: open the device, find and vet the superblock (the standard
 * locations, then cylinder group 0's copy, or -b's), and set up the
 * per-inode and per-fragment tables.  An image file holding a disk is
 * searched for its file system: a disklabel64 or 32-bit label on the
 * bare disk or in the first MBR slice, partition 'a'.
 */
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <fstab.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsck.h"

static const int64_t sblock_try[] = { SBLOCK_UFS2, SBLOCK_UFS1, SBLOCK_FLOPPY, SBLOCK_PIGGY };
static uint8_t sbbuf[SBLOCKSIZE] __attribute__((aligned(8)));
static int64_t sbloc;		/* where the superblock we use was read */
static int sbfromalt;		/* read from a backup: write it to the standard place */
static off_t devsize;

#define DISKMAGIC64	0xc4464c59u
#define DISKMAGIC32	0x82564557u

static int
pow2(int64_t n)
{
	return (n > 0 && (n & (n - 1)) == 0);
}

/* The rules a superblock must pass before its arithmetic is trusted (the kernel's sbValidate). */
static const char *
sbcheck(struct fs *fs)
{
	int ufs2 = fs->fs_magic == FS_UFS2_MAGIC;
	int64_t size = ufs2 ? fs->fs_size : fs->fs_old_size;
	int64_t csaddr = ufs2 ? fs->fs_csaddr : fs->fs_old_csaddr;
	int dsz = ufs2 ? 256 : 128;
	uint32_t c;

	if (fs->fs_magic != FS_UFS1_MAGIC && !ufs2)
		return ("BAD MAGIC NUMBER");
	if (!pow2(fs->fs_bsize) || fs->fs_bsize < MINBSIZE || fs->fs_bsize > MAXBSIZE)
		return ("BAD BLOCK SIZE");
	if (!pow2(fs->fs_fsize) || fs->fs_fsize < DEV_BSIZE || fs->fs_fsize > fs->fs_bsize)
		return ("BAD FRAGMENT SIZE");
	if (fs->fs_frag != fs->fs_bsize / fs->fs_fsize || fs->fs_frag > MAXFRAG)
		return ("BAD FRAGS PER BLOCK");
	if (fs->fs_bshift < 12 || fs->fs_bshift > 16 || fs->fs_fshift < 9 || fs->fs_fshift > 16 ||
	    1 << fs->fs_bshift != fs->fs_bsize || 1 << fs->fs_fshift != fs->fs_fsize)
		return ("BAD SHIFTS");
	if (fs->fs_ncg < 1 || fs->fs_ipg < 1 || fs->fs_fpg < fs->fs_frag || fs->fs_fpg % fs->fs_frag)
		return ("BAD CYLINDER GROUPS");
	if (fs->fs_inopb != (uint32_t)(fs->fs_bsize / dsz) || fs->fs_ipg % fs->fs_inopb)
		return ("BAD INODES PER GROUP");
	if (fs->fs_nindir != fs->fs_bsize / (ufs2 ? 8 : 4))
		return ("BAD NINDIR");
	if (fs->fs_cgsize < 1 || fs->fs_cgsize > fs->fs_bsize)
		return ("BAD CG SIZE");
	if (size < 1 || size > (int64_t)fs->fs_ncg * fs->fs_fpg || size * fs->fs_fsize > devsize)
		return ("BAD FILE SYSTEM SIZE");
	if ((int64_t)(fs->fs_ncg - 1) * fs->fs_fpg >= size)
		return ("BAD NUMBER OF CYLINDER GROUPS");
	if (fs->fs_dblkno <= fs->fs_iblkno || fs->fs_iblkno <= fs->fs_cblkno ||
	    fs->fs_cblkno <= fs->fs_sblkno || fs->fs_dblkno > fs->fs_fpg)
		return ("BAD LAYOUT");
	if ((int64_t)(fs->fs_dblkno - fs->fs_iblkno) * fs->fs_fsize < (int64_t)fs->fs_ipg * dsz)
		return ("INODE AREA TOO SMALL");
	if (fs->fs_cssize < (int64_t)fs->fs_ncg * 16 || csaddr < 0 ||
	    csaddr + howmany(fs->fs_cssize, fs->fs_fsize) > size)
		return ("BAD SUMMARY AREA");
	if (fs->fs_contigsumsize < 0 || fs->fs_contigsumsize > FS_MAXCONTIG)
		return ("BAD CONTIGSUMSIZE");
	if (fs->fs_sbsize < (int32_t)sizeof(struct fs) || fs->fs_sbsize > SBLOCKSIZE)
		return ("BAD SUPERBLOCK SIZE");
	for (c = 0; c < fs->fs_ncg; c++)
		if (cgdmin(fs, c) > size || cgsblock(fs, c) < cgbase(fs, c) ||
		    cgdmin(fs, c) > cgbase(fs, c) + fs->fs_fpg)
			return ("BAD CYLINDER GROUP LAYOUT");
	return (NULL);
}

/* The superblock at byte off (or a reason it is not one). */
static const char *
readsb(off_t off, int standard)
{
	struct fs *fs = (struct fs *)sbbuf;

	if (off + SBLOCKSIZE > devsize || rawread(sbbuf, off, SBLOCKSIZE) != 0)
		return ("CANNOT READ");
	if (fs->fs_magic != FS_UFS1_MAGIC && fs->fs_magic != FS_UFS2_MAGIC)
		return ("BAD MAGIC NUMBER");
	/* A UFS2 superblock says where it lives; else it is a stale backup. */
	if (standard && fs->fs_magic == FS_UFS2_MAGIC && fs->fs_sblockloc != off)
		return ("NOT AT ITS OWN LOCATION");
	if (standard && fs->fs_magic == FS_UFS1_MAGIC && off > SBLOCK_UFS1)
		return ("UFS1 PAST 8192");
	return (sbcheck(fs));
}

/* Cylinder group 0's copy, at cgsblock(0): its place depends on the geometry it states. */
static int
findalt(void)
{
	struct fs *fs = (struct fs *)sbbuf;
	off_t off;

	for (off = 4096; off < (1 << 20) && off + SBLOCKSIZE <= devsize; off += 2048) {
		if (readsb(off, 0) != NULL)
			continue;
		if ((off_t)cgsblock(fs, 0) * fs->fs_fsize != off)
			continue;
		return (1);
	}
	return (0);
}

static uint32_t
le32(const uint8_t *p)
{
	return (p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24);
}

static uint64_t
le64(const uint8_t *p)
{
	return (le32(p) | (uint64_t)le32(p + 4) << 32);
}

/* Partition 'a' of a label at slice offset base: its byte offset, or -1. */
static off_t
labelpart(off_t base)
{
	uint8_t buf[1024];

	if (pread(fsreadfd, buf, sizeof(buf), base) != (ssize_t)sizeof(buf))
		return (-1);
	if (le32(buf + 512) == DISKMAGIC64 && le32(buf + 524) > 0 && le64(buf + 712 + 8) > 0)
		return (base + (off_t)le64(buf + 712));
	if (le32(buf + 512) == DISKMAGIC32 && le32(buf + 512 + 132) == DISKMAGIC32) {
		uint32_t off = le32(buf + 512 + 148 + 4);
		uint32_t coff = le32(buf + 512 + 148 + 32 + 4);

		/* Old writers made offsets absolute: 'c' then starts where the slice does. */
		if (base > 0 && coff == base / 512)
			return ((off_t)off * 512);
		return (base + (off_t)off * 512);
	}
	return (-1);
}

/* An image of a whole disk: where its file system starts. */
static void
findpart(void)
{
	uint8_t mbr[512];
	off_t off;
	int i;

	if ((off = labelpart(0)) > 0) {
		partoff = off;
		return;
	}
	if (pread(fsreadfd, mbr, sizeof(mbr), 0) != (ssize_t)sizeof(mbr) || mbr[510] != 0x55 || mbr[511] != 0xaa)
		return;
	for (i = 0; i < 4; i++) {
		const uint8_t *e = mbr + 446 + 16 * i;

		if (e[4] == 0 || le32(e + 12) == 0)
			continue;
		if ((off = labelpart((off_t)le32(e + 8) * 512)) > 0) {
			partoff = off;
			return;
		}
	}
}

/*
 * Early in rc, before procfs is mounted: dev is the mounted root if fstab
 * says "/" lives on it and "/" is a UFS file system.
 */
static int
fstabroot(const struct stat *st)
{
	struct fstab *fs;
	struct stat rst;
	struct statfs sfs;

	if ((fs = getfsfile("/")) == NULL || stat(fs->fs_spec, &rst) != 0 ||
	    (!S_ISCHR(rst.st_mode) && !S_ISBLK(rst.st_mode)) || rst.st_rdev != st->st_rdev)
		return (0);
	if (statfs("/", &sfs) != 0 || sfs.f_type != FS_UFS1_MAGIC)
		return (0);
	hotroot = 1;
	ronly_mount = (sfs.f_flags & ST_RDONLY) != 0;
	return (1);
}

/* Is dev mounted?  Sets hotroot (it is "/") and ronly_mount. */
static int
ismounted(const struct stat *st)
{
	FILE *f;
	struct mntent *m;
	struct stat mst;
	int found = 0;

	if (!S_ISCHR(st->st_mode) && !S_ISBLK(st->st_mode))
		return (0);
	if ((f = setmntent("/proc/mounts", "r")) == NULL)
		return (fstabroot(st));
	while ((m = getmntent(f)) != NULL) {
		if (stat(m->mnt_fsname, &mst) != 0 || (!S_ISCHR(mst.st_mode) && !S_ISBLK(mst.st_mode)) ||
		    mst.st_rdev != st->st_rdev)
			continue;
		found = 1;
		ronly_mount = hasmntopt(m, "ro") != NULL;
		if (strcmp(m->mnt_dir, "/") == 0)
			hotroot = 1;
		break;
	}
	endmntent(f);
	return (found);
}

/* 1: ready to check; 0: skip (clean and not forced, or cannot check). */
int
setup(const char *dev)
{
	struct stat st;
	const char *why;
	size_t i;
	int nowrite = 0;

	cdevname = dev;
	fswritefd = -1;
	partoff = 0;
	hotroot = ronly_mount = 0;
	sbfromalt = 0;
	if (stat(dev, &st) != 0) {
		printf("Can't stat %s: %s\n", dev, strerror(errno));
		return (0);
	}
	if ((fsreadfd = open(dev, O_RDONLY)) < 0) {
		printf("Can't open %s: %s\n", dev, strerror(errno));
		return (0);
	}
	if (ismounted(&st) && !ronly_mount && !nflag) {
		pwarn("%s IS MOUNTED READ-WRITE: CHECKING WITHOUT WRITING\n", dev);
		nflag = 1;
	}
	if (!nflag && (fswritefd = open(dev, O_RDWR)) < 0) {
		/* A read-only medium: fine for a clean file system, preen or not. */
		nowrite = errno;
		if (!preen)
			printf("Can't open %s for writing: %s\n", dev, strerror(errno));
	}
	if (!preen)
		printf("** %s%s\n", dev, fswritefd < 0 ? " (NO WRITE)" : "");
	devsize = lseek(fsreadfd, 0, SEEK_END);
	if (devsize <= 0 && S_ISREG(st.st_mode))
		devsize = st.st_size;
	if (S_ISREG(st.st_mode))
		findpart();
	devsize -= partoff;

	why = "NO SUPERBLOCK";
	if (bflag) {
		sbloc = (int64_t)bflag * DEV_BSIZE;
		why = readsb(sbloc, 0);
		if (why == NULL) {
			printf("Alternate super block location: %d\n", bflag);
			sbfromalt = 1;
		}
	} else {
		for (i = 0; i < sizeof(sblock_try) / sizeof(sblock_try[0]); i++) {
			const char *w = readsb(sblock_try[i], 1);

			if (w == NULL) {
				sbloc = sblock_try[i];
				why = NULL;
				break;
			}
			if (i == 0 || strcmp(why, "NO SUPERBLOCK") == 0)
				why = w;
		}
	}
	if (why != NULL && !bflag) {
		pfatal("SUPERBLOCK: %s\n", why);
		if (findalt()) {
			struct fs *fs = (struct fs *)sbbuf;

			sbloc = (int64_t)cgsblock(fs, 0) * fs->fs_fsize;
			printf("USING ALTERNATE SUPERBLOCK AT %jd\n", (intmax_t)(sbloc / DEV_BSIZE));
			sbfromalt = 1;
			why = NULL;
		}
	}
	if (why != NULL) {
		printf("\nCANNOT FIND A VALID SUPERBLOCK: %s\n", why);
		return (0);
	}
	sblock = (struct fs *)sbbuf;
	is_ufs2 = sblock->fs_magic == FS_UFS2_MAGIC;
	if (sbfromalt) {
		/* The backup goes back to where the file system keeps its superblock (NetBSD's makefs: UFS2 at 8192). */
		sbloc = is_ufs2 && sblock->fs_sblockloc != SBLOCK_UFS1 ? SBLOCK_UFS2 : SBLOCK_UFS1;
		if (is_ufs2 || (sblock->fs_old_flags & FS_FLAGS_UPDATED))
			sblock->fs_sblockloc = sbloc;
		sblock->fs_clean = 0;
	}
	maxfsblock = is_ufs2 ? sblock->fs_size : sblock->fs_old_size;
	maxino = sblock->fs_ncg * sblock->fs_ipg;
	if (debug)
		printf("superblock at %jd: ufs%d, %u groups, bsize %d, fsize %d\n",
		    (intmax_t)sbloc, is_ufs2 ? 2 : 1, sblock->fs_ncg, sblock->fs_bsize, sblock->fs_fsize);
	if (!fflag && !sbfromalt && (sblock->fs_clean & FS_ISCLEAN))
		return (2);
	if (nowrite && preen)
		pfatal("NO WRITE ACCESS: %s", strerror(nowrite));
	free(inostat);
	free(blockmap);
	inostat = calloc(maxino, sizeof(*inostat));
	blockmap = calloc(howmany(maxfsblock, 8) + 1, 1);
	if (inostat == NULL || blockmap == NULL)
		errexit("cannot allocate %u inode entries\n", maxino);
	return (1);
}

/* Write the in-core superblock where it was found (the standard place). */
void
sbwrite(void)
{
	if (fswritefd < 0)
		return;
	rawwrite(sbbuf, sbloc, roundup(sblock->fs_sbsize, DEV_BSIZE));
}

/* The check is over and nothing is left unresolved: say so on disk. */
void
markclean(void)
{
	if (fswritefd < 0 || nflag)
		return;
	if (!(sblock->fs_clean & FS_ISCLEAN) || sbfromalt) {
		sblock->fs_clean = FS_ISCLEAN;
		sbwrite();
		if (!preen)
			printf("\n***** FILE SYSTEM MARKED CLEAN *****\n");
	}
}

void
ckfini(int mark)
{
	if (sblock != NULL && mark && resolved)
		markclean();
	if (fswritefd >= 0)
		fsync(fswritefd);
	if (fswritefd >= 0)
		close(fswritefd);
	if (fsreadfd >= 0)
		close(fsreadfd);
	fswritefd = fsreadfd = -1;
}
