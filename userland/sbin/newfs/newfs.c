/*
 * newfs: construct a new UFS1 (the default, as DragonFly's newfs) or UFS2
 * file system on a disk device, a partition, or an image file.
 *
 * The layout is FreeBSD/NetBSD newfs's, as the kernel's ufs_mkfs.ts and
 * tools/makefs.ts write it: UFS1 with one cylinder per group and the
 * 64-bit copies of its sizes flagged by FS_FLAGS_UPDATED, superblock at
 * 8192; UFS2 with its superblock at 65536; the largest groups whose cg
 * block fits in one block; a superblock backup in every group; an empty
 * root directory.
 */
#include <sys/stat.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libutil.h"
#include "ufs_fs.h"

static struct fs *fs;
static uint8_t sbbuf[SBLOCKSIZE] __attribute__((aligned(8)));
static int fd = -1, Nflag, ufs2;
static off_t devsize;
static const char *special;

static void
usage(void)
{
	fprintf(stderr,
	    "usage: newfs [-NnU] [-L volname] [-O format] [-b block-size] [-f frag-size]\n"
	    "             [-i bytes] [-m free-space] [-s size] special\n");
	exit(1);
}

static int
ilog2(int n)
{
	int i;

	for (i = 0; (1 << i) < n; i++)
		;
	return (i);
}

static void
wtfs(off_t off, const void *buf, size_t len)
{
	if (Nflag)
		return;
	if (pwrite(fd, buf, len, off) != (ssize_t)len)
		err(1, "%s: write at %jd", special, (intmax_t)off);
}

/* Byte layout of a cg block (newfs's): maps after the header, clusters last. */
static void
cglayout(struct cg *cg)
{
	uint32_t off = CG_SPACE;

	if (!ufs2) {
		cg->cg_old_btotoff = off;
		cg->cg_old_boff = off + 4;
		off = cg->cg_old_boff + 2;
	}
	cg->cg_iusedoff = off;
	cg->cg_freeoff = off + howmany(fs->fs_ipg, 8);
	cg->cg_nextfreeoff = cg->cg_freeoff + howmany(fs->fs_fpg, 8);
	if (fs->fs_contigsumsize > 0) {
		cg->cg_clustersumoff = roundup(cg->cg_nextfreeoff, 4) - 4;
		cg->cg_clusteroff = cg->cg_clustersumoff + (fs->fs_contigsumsize + 1) * 4;
		cg->cg_nextfreeoff = cg->cg_clusteroff + howmany(fs->fs_fpg / fs->fs_frag, 8);
	}
}

/* fs_fpg and fs_ipg: the largest group whose cg block fits in one block. */
static int
choosegroups(int64_t size, int density, int inodesize)
{
	int frag = fs->fs_frag;
	int64_t fpg;
	uint8_t buf[MAXBSIZE];
	struct cg *cg = (struct cg *)buf;

	fpg = (int64_t)(fs->fs_bsize - CG_SPACE - 4 * (FS_MAXCONTIG + 2)) * 8 * frag / (frag + 1);
	fpg = roundup(fpg, frag);
	if (fpg > roundup(size, frag))
		fpg = roundup(size, frag);
	for (; fpg > frag; fpg -= 8 * frag) {
		int64_t ipg = howmany(howmany(fpg * fs->fs_fsize, density), fs->fs_inopb) * fs->fs_inopb;

		if (!ufs2 && ipg > 0xffff)
			continue;
		fs->fs_fpg = (int32_t)fpg;
		fs->fs_ipg = (uint32_t)ipg;
		fs->fs_dblkno = fs->fs_iblkno + (int32_t)(ipg * inodesize / fs->fs_fsize);
		memset(buf, 0, sizeof(buf));
		cglayout(cg);
		if (cg->cg_nextfreeoff <= (uint32_t)fs->fs_bsize && fs->fs_dblkno + frag <= fpg) {
			fs->fs_cgsize = (int32_t)roundup(cg->cg_nextfreeoff, fs->fs_fsize);
			return (0);
		}
	}
	return (-1);
}

/* Free counts, frsum and the cluster map/summary of a cg from its free map. */
static void
countfree(struct cg *cg, uint8_t *buf, uint32_t ndblk)
{
	uint8_t *freemap = buf + cg->cg_freeoff;
	int32_t *clsum = (int32_t *)(buf + cg->cg_clustersumoff);
	int frag = fs->fs_frag, run = 0, j, r;
	uint32_t b;

	cg->cg_cs.cs_nbfree = cg->cg_cs.cs_nffree = 0;
	memset(cg->cg_frsum, 0, sizeof(cg->cg_frsum));
	if (fs->fs_contigsumsize > 0) {
		memset(buf + cg->cg_clusteroff, 0, howmany(fs->fs_fpg / frag, 8));
		memset(clsum + 1, 0, 4 * fs->fs_contigsumsize);
	}
#define ISFREE(f) ((f) < ndblk && (freemap[(f) >> 3] >> ((f) & 7) & 1))
	for (b = 0; b * frag < ndblk; b++) {
		int nfree = 0;

		for (j = 0; j < frag; j++)
			nfree += ISFREE(b * frag + j);
		if (nfree == frag && (b + 1) * frag <= ndblk) {
			cg->cg_cs.cs_nbfree++;
			if (fs->fs_contigsumsize > 0) {
				buf[cg->cg_clusteroff + (b >> 3)] |= 1 << (b & 7);
				run++;
			}
			continue;
		}
		if (run > 0)
			clsum[run < fs->fs_contigsumsize ? run : fs->fs_contigsumsize]++;
		run = 0;
		cg->cg_cs.cs_nffree += nfree;
		for (j = 0, r = 0; j <= frag; j++) {
			if (j < frag && ISFREE(b * frag + j)) {
				r++;
				continue;
			}
			if (r > 0 && r < frag)
				cg->cg_frsum[r]++;
			r = 0;
		}
	}
	if (run > 0 && fs->fs_contigsumsize > 0)
		clsum[run < fs->fs_contigsumsize ? run : fs->fs_contigsumsize]++;
#undef ISFREE
}

/* Cylinder group c (cg 0 also gets the root directory's fragment and inode). */
static void
initcg(uint32_t c, time_t now, struct csum *cs)
{
	uint8_t *buf, *itab;
	struct cg *cg;
	int64_t size = ufs2 ? fs->fs_size : fs->fs_old_size, base = cgbase(fs, c);
	uint32_t ndblk = (uint32_t)(size - base < fs->fs_fpg ? size - base : fs->fs_fpg);
	uint32_t f, lower, first, i;
	int inodesize = ufs2 ? 256 : 128;

	if ((buf = calloc(1, fs->fs_cgsize)) == NULL)
		err(1, "cg buffer");
	cg = (struct cg *)buf;
	cg->cg_magic = CG_MAGIC;
	cg->cg_cgx = c;
	cg->cg_ndblk = ndblk;
	cglayout(cg);
	if (fs->fs_contigsumsize > 0)
		cg->cg_nclusterblks = ndblk / fs->fs_frag;
	if (ufs2) {
		cg->cg_niblk = fs->fs_ipg;
		cg->cg_initediblk = fs->fs_ipg;
		cg->cg_time = now;
	} else {
		cg->cg_old_ncyl = 1;
		cg->cg_old_niblk = (int16_t)fs->fs_ipg;
		cg->cg_old_time = (int32_t)now;
	}
	cg->cg_cs.cs_nifree = fs->fs_ipg;
	if (c == 0) {
		for (i = 0; i < UFS_ROOTINO; i++)
			buf[cg->cg_iusedoff] |= 1 << i;
		cg->cg_cs.cs_nifree -= UFS_ROOTINO;
	}
	lower = c == 0 ? fs->fs_dblkno + howmany(fs->fs_cssize, fs->fs_fsize) : fs->fs_dblkno;
	first = c == 0 ? lower : 0;
	for (f = first; f < ndblk; f++) {
		if (f >= (uint32_t)fs->fs_sblkno && f < lower)
			continue;
		buf[cg->cg_freeoff + (f >> 3)] |= 1 << (f & 7);
	}
	if (c == 0) {
		/* The root directory: the first data fragment, inode 2. */
		buf[cg->cg_freeoff + (lower >> 3)] &= ~(1 << (lower & 7));
		buf[cg->cg_iusedoff] |= 1 << UFS_ROOTINO;
		cg->cg_cs.cs_nifree--;
		cg->cg_cs.cs_ndir = 1;
	}
	countfree(cg, buf, ndblk);
	*cs = cg->cg_cs;
	wtfs((off_t)cgtod(fs, c) * fs->fs_fsize, buf, fs->fs_cgsize);
	/* The inode table, zeroed (UFS2 says all of it is initialized). */
	if ((itab = calloc(1, fs->fs_bsize)) == NULL)
		err(1, "inode buffer");
	for (i = 0; i < fs->fs_ipg * inodesize / fs->fs_bsize; i++)
		wtfs(((off_t)cgimin(fs, c) * fs->fs_fsize) + (off_t)i * fs->fs_bsize, itab, fs->fs_bsize);
	free(itab);
	free(buf);
}

static void
mkroot(time_t now)
{
	uint8_t *dir, ino[MAXBSIZE];
	int64_t blk = fs->fs_dblkno + howmany(fs->fs_cssize, fs->fs_fsize);
	struct direct *dp;
	union dinode *di;
	off_t at;

	if ((dir = calloc(1, fs->fs_fsize)) == NULL)
		err(1, "root directory");
	dp = (struct direct *)dir;
	dp->d_ino = UFS_ROOTINO;
	dp->d_reclen = 12;
	dp->d_type = DT_DIR;
	dp->d_namlen = 1;
	dp->d_name[0] = '.';
	dp = (struct direct *)(dir + 12);
	dp->d_ino = UFS_ROOTINO;
	dp->d_reclen = DIRBLKSIZ - 12;
	dp->d_type = DT_DIR;
	dp->d_namlen = 2;
	dp->d_name[0] = dp->d_name[1] = '.';
	wtfs((off_t)blk * fs->fs_fsize, dir, fs->fs_fsize);
	free(dir);
	/* The whole fragment of the inode table that holds inode 2. */
	memset(ino, 0, sizeof(ino));
	at = (off_t)cgimin(fs, 0) * fs->fs_fsize;
	di = (union dinode *)(ino + UFS_ROOTINO * (ufs2 ? 256 : 128));
	if (ufs2) {
		di->dp2.di_mode = IFDIR | 0755;
		di->dp2.di_nlink = 2;
		di->dp2.di_size = DIRBLKSIZ;
		di->dp2.di_blocks = fs->fs_fsize / DEV_BSIZE;
		di->dp2.di_db[0] = blk;
		di->dp2.di_atime = di->dp2.di_mtime = di->dp2.di_ctime = di->dp2.di_birthtime = now;
		di->dp2.di_gen = 1;
	} else {
		di->dp1.di_mode = IFDIR | 0755;
		di->dp1.di_nlink = 2;
		di->dp1.di_size = DIRBLKSIZ;
		di->dp1.di_blocks = fs->fs_fsize / DEV_BSIZE;
		di->dp1.di_db[0] = (int32_t)blk;
		di->dp1.di_atime = di->dp1.di_mtime = di->dp1.di_ctime = (int32_t)now;
		di->dp1.di_gen = 1;
	}
	wtfs(at, ino, fs->fs_fsize);
}

/* A mounted file system must not be overwritten under the kernel (procfs lists the mounts). */
static void
checkmounted(const struct stat *st)
{
	FILE *f;
	struct mntent *m;
	struct stat mst;

	if (!S_ISCHR(st->st_mode) && !S_ISBLK(st->st_mode))
		return;
	if ((f = setmntent("/proc/mounts", "r")) == NULL)
		return;
	while ((m = getmntent(f)) != NULL) {
		if (stat(m->mnt_fsname, &mst) == 0 && (S_ISCHR(mst.st_mode) || S_ISBLK(mst.st_mode)) &&
		    mst.st_rdev == st->st_rdev)
			errx(1, "%s is mounted on %s", special, m->mnt_dir);
	}
	endmntent(f);
}

int
main(int argc, char *argv[])
{
	int ch, bsize = 16384, fsize = 0, density = 0, minfree = 8, inodesize, frag;
	int64_t size, dsize, sizearg = 0, maxfs, span;
	const char *volname = "", *errstr;
	struct stat st;
	time_t now = time(NULL);
	struct csum *csp, tot = { 0, 0, 0, 0 };
	uint8_t *csbuf;
	uint32_t c, ncg;
	int64_t loc;
	int i, col;

	while ((ch = getopt(argc, argv, "+L:NO:Ub:f:i:m:ns:")) != -1) {
		switch (ch) {
		case 'L':
			if (strlen(optarg) >= MAXVOLLEN)
				errx(1, "bad volume label: %s: too long", optarg);
			volname = optarg;
			break;
		case 'N':
			Nflag = 1;
			break;
		case 'O':
			i = (int)strtonum(optarg, 1, 2, &errstr);
			if (errstr != NULL)
				errx(1, "%s: bad file system format value", optarg);
			ufs2 = i == 2;
			break;
		case 'U':	/* soft updates: not kept by this kernel */
		case 'n':	/* no .snap directory: there is none */
			break;
		case 'b':
			bsize = (int)strtonum(optarg, MINBSIZE, MAXBSIZE, &errstr);
			if (errstr != NULL || (bsize & (bsize - 1)))
				errx(1, "%s: bad block size", optarg);
			break;
		case 'f':
			fsize = (int)strtonum(optarg, DEV_BSIZE, MAXBSIZE, &errstr);
			if (errstr != NULL || (fsize & (fsize - 1)))
				errx(1, "%s: bad fragment size", optarg);
			break;
		case 'i':
			density = (int)strtonum(optarg, 512, 1 << 30, &errstr);
			if (errstr != NULL)
				errx(1, "%s: bad bytes per inode", optarg);
			break;
		case 'm':
			minfree = (int)strtonum(optarg, 0, 99, &errstr);
			if (errstr != NULL)
				errx(1, "%s: bad free space %%", optarg);
			break;
		case 's':
			sizearg = strtonum(optarg, 1, INT64_MAX / DEV_BSIZE, &errstr);
			if (errstr != NULL)
				errx(1, "%s: bad file system size", optarg);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		usage();
	special = argv[0];
	if (fsize == 0)
		fsize = bsize / 8 < DEV_BSIZE ? DEV_BSIZE : bsize / 8;
	if (fsize > bsize || bsize / fsize > MAXFRAG)
		errx(1, "block size %d / fragment size %d: more than %d fragments per block or fragment too big",
		    bsize, fsize, MAXFRAG);
	if (density == 0)
		density = 4 * fsize;
	if ((fd = open(special, Nflag ? O_RDONLY : O_RDWR)) < 0)
		err(1, "%s", special);
	if (fstat(fd, &st) != 0)
		err(1, "%s", special);
	checkmounted(&st);
	devsize = S_ISREG(st.st_mode) ? st.st_size : lseek(fd, 0, SEEK_END);
	if (devsize <= 0)
		errx(1, "%s: cannot find the media size", special);
	if (sizearg > 0) {
		if (sizearg * DEV_BSIZE > devsize)
			errx(1, "%s: size %jd sectors is larger than the media (%jd)", special,
			    (intmax_t)sizearg, (intmax_t)(devsize / DEV_BSIZE));
		devsize = sizearg * DEV_BSIZE;
	}

	fs = (struct fs *)sbbuf;
	frag = bsize / fsize;
	inodesize = ufs2 ? 256 : 128;
	loc = ufs2 ? SBLOCK_UFS2 : SBLOCK_UFS1;
	fs->fs_magic = ufs2 ? FS_UFS2_MAGIC : FS_UFS1_MAGIC;
	fs->fs_bsize = bsize;
	fs->fs_fsize = fsize;
	fs->fs_frag = frag;
	fs->fs_bmask = ~(bsize - 1);
	fs->fs_fmask = ~(fsize - 1);
	fs->fs_bshift = ilog2(bsize);
	fs->fs_fshift = ilog2(fsize);
	fs->fs_fragshift = ilog2(frag);
	fs->fs_fsbtodb = ilog2(fsize / DEV_BSIZE);
	fs->fs_sbsize = (int32_t)roundup(sizeof(struct fs), fsize);
	fs->fs_nindir = bsize / (ufs2 ? 8 : 4);
	fs->fs_inopb = bsize / inodesize;
	fs->fs_minfree = minfree;
	fs->fs_optim = minfree >= 8 ? 0 : 1;
	fs->fs_maxcontig = 131072 / bsize > 1 ? 131072 / bsize : 1;
	fs->fs_contigsumsize = fs->fs_maxcontig < FS_MAXCONTIG ? fs->fs_maxcontig : FS_MAXCONTIG;
	fs->fs_maxbpg = bsize / 4;
	fs->fs_maxsymlinklen = (UFS_NDADDR + UFS_NIADDR) * (ufs2 ? 8 : 4);
	fs->fs_old_inodefmt = FS_44INODEFMT;
	fs->fs_avgfilesize = 16384;
	fs->fs_avgfpdir = 64;
	fs->fs_maxbsize = bsize;
	fs->fs_sblockloc = loc;
	fs->fs_sblkno = (int32_t)roundup(howmany(loc + SBLOCKSIZE, fsize), frag);
	fs->fs_cblkno = fs->fs_sblkno + (int32_t)roundup(howmany(SBLOCKSIZE, fsize), frag);
	fs->fs_iblkno = fs->fs_cblkno + frag;
	size = devsize / fsize;
	if (choosegroups(size, density, inodesize) != 0)
		errx(1, "%s: file system too small (%jd bytes)", special, (intmax_t)devsize);
	/* A last group too small for its own metadata and a block of data is dropped. */
	ncg = (uint32_t)howmany(size, fs->fs_fpg);
	if (ncg > 1 && size - (int64_t)(ncg - 1) * fs->fs_fpg < fs->fs_dblkno + frag)
		size = (int64_t)(ncg - 1) * fs->fs_fpg;
	fs->fs_ncg = (uint32_t)howmany(size, fs->fs_fpg);
	if (size < fs->fs_dblkno + 2 * frag)
		errx(1, "%s: file system too small (%jd bytes)", special, (intmax_t)devsize);
	fs->fs_cssize = (int32_t)roundup((int64_t)fs->fs_ncg * sizeof(struct csum), fsize);
	dsize = size - fs->fs_sblkno - (int64_t)fs->fs_ncg * (fs->fs_dblkno - fs->fs_sblkno) -
	    howmany(fs->fs_cssize, fsize);
	fs->fs_qbmask = bsize - 1;
	fs->fs_qfmask = fsize - 1;
	maxfs = (int64_t)bsize * UFS_NDADDR - 1;
	for (span = bsize, i = 0; i < UFS_NIADDR; i++) {
		if (span > INT64_MAX / fs->fs_nindir) {
			maxfs = INT64_MAX;
			break;
		}
		span *= fs->fs_nindir;
		if (maxfs > INT64_MAX - span) {
			maxfs = INT64_MAX;
			break;
		}
		maxfs += span;
	}
	fs->fs_maxfilesize = (uint64_t)maxfs;
	fs->fs_id[0] = (int32_t)now;
	fs->fs_id[1] = (int32_t)(getpid() ^ (now >> 7) ^ 0x564b524e);
	fs->fs_size = size;
	fs->fs_dsize = dsize;
	fs->fs_csaddr = cgdmin(fs, 0);
	fs->fs_time = now;
	if (!ufs2) {
		int nspf = fsize / DEV_BSIZE;

		fs->fs_old_size = (int32_t)size;
		fs->fs_old_dsize = (int32_t)dsize;
		fs->fs_old_csaddr = (int32_t)fs->fs_csaddr;
		fs->fs_old_cgoffset = 0;
		fs->fs_old_cgmask = -1;
		fs->fs_old_rps = 60;
		fs->fs_old_nspf = nspf;
		fs->fs_old_interleave = 1;
		fs->fs_old_spc = fs->fs_fpg * nspf;
		fs->fs_old_nsect = fs->fs_fpg * nspf;
		fs->fs_old_npsect = fs->fs_fpg * nspf;
		fs->fs_old_ncyl = (int32_t)fs->fs_ncg;
		fs->fs_old_cpg = 1;
		fs->fs_old_postblformat = FS_DYNAMICPOSTBLFMT;
		fs->fs_old_nrpos = 1;
		fs->fs_old_flags = (int8_t)FS_FLAGS_UPDATED;
		fs->fs_old_time = (int32_t)now;
	}
	fs->fs_clean = FS_ISCLEAN;
	strlcpy((char *)fs->fs_volname, volname, MAXVOLLEN);

	printf("%s: %.1fMB (%jd sectors) block size %d, fragment size %d\n", special,
	    (double)size * fsize / (1024.0 * 1024.0), (intmax_t)(size * fsize / DEV_BSIZE), bsize, fsize);
	printf("\tusing %u cylinder groups of %.2fMB, %d blks, %u inodes.\n", fs->fs_ncg,
	    (double)fs->fs_fpg * fsize / (1024.0 * 1024.0), fs->fs_fpg / frag, fs->fs_ipg);
	printf("super-block backups (for fsck -b #) at:\n");
	for (c = 0, col = 0; c < fs->fs_ncg; c++) {
		char num[32];
		int n = snprintf(num, sizeof(num), " %jd%s", (intmax_t)(cgsblock(fs, c) * (fsize / DEV_BSIZE)),
		    c + 1 < fs->fs_ncg ? "," : "");

		if (col + n > 79) {
			printf("\n");
			col = 0;
		}
		printf("%s", num);
		col += n;
	}
	printf("\n");
	if (Nflag)
		return (0);

	/* Stale superblocks of another format must not be found first. */
	if ((off_t)(ufs2 ? SBLOCK_UFS1 : SBLOCK_UFS2) + SBLOCKSIZE <= devsize) {
		uint8_t zero[SBLOCKSIZE];

		memset(zero, 0, sizeof(zero));
		wtfs(ufs2 ? SBLOCK_UFS1 : SBLOCK_UFS2, zero, sizeof(zero));
		if ((off_t)SBLOCK_PIGGY + SBLOCKSIZE <= devsize)
			wtfs(SBLOCK_PIGGY, zero, sizeof(zero));
	}
	csbuf = calloc(1, fs->fs_cssize);
	if (csbuf == NULL)
		err(1, "summary area");
	csp = (struct csum *)csbuf;
	for (c = 0; c < fs->fs_ncg; c++) {
		initcg(c, now, &csp[c]);
		tot.cs_ndir += csp[c].cs_ndir;
		tot.cs_nbfree += csp[c].cs_nbfree;
		tot.cs_nifree += csp[c].cs_nifree;
		tot.cs_nffree += csp[c].cs_nffree;
	}
	mkroot(now);
	wtfs((off_t)fs->fs_csaddr * fsize, csbuf, fs->fs_cssize);
	free(csbuf);
	fs->fs_cstotal.cs_ndir = tot.cs_ndir;
	fs->fs_cstotal.cs_nbfree = tot.cs_nbfree;
	fs->fs_cstotal.cs_nifree = tot.cs_nifree;
	fs->fs_cstotal.cs_nffree = tot.cs_nffree;
	if (!ufs2)
		fs->fs_old_cstotal = tot;
	for (c = 0; c < fs->fs_ncg; c++)
		wtfs((off_t)cgsblock(fs, c) * fsize, sbbuf, fs->fs_sbsize);
	wtfs(loc, sbbuf, fs->fs_sbsize);
	if (fsync(fd) != 0 && errno != EINVAL)
		err(1, "%s: fsync", special);
	close(fd);
	return (0);
}
