/*
 * fsck_ffs pass 5: rebuild every cylinder group's inode and fragment maps,
 * cluster map and summaries from what the earlier passes left allocated,
 * and the summary area and superblock totals from those; write what
 * differs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsck.h"

static int
mapbit(const uint8_t *map, int64_t n)
{
	return ((map[n >> 3] >> (n & 7)) & 1);
}

static void
setbit(uint8_t *map, int64_t n)
{
	map[n >> 3] |= 1 << (n & 7);
}

/* The fragments the remaining inodes hold, recounted (cleared inodes gave theirs back). */
static int
markused(uint32_t ino, int64_t blk, int nfrags, int pasteof, void *arg)
{
	int i;

	(void)ino;
	(void)pasteof;
	(void)arg;
	if (chkrange(blk, nfrags))
		return (SKIP);
	for (i = 0; i < nfrags; i++)
		setbmap(blk + i);
	return (KEEPON);
}

static void
rebuildmap(void)
{
	uint32_t ino;
	int64_t f;
	union dinode din;

	memset(blockmap, 0, howmany(maxfsblock, 8) + 1);
	for (f = 0; f < maxfsblock; f++)
		if (ismeta(f))
			setbmap(f);
	for (ino = UFS_ROOTINO; ino < maxino; ino++) {
		int mode;

		if (inostat[ino].state == USTATE)
			continue;
		din = *ginode(ino);
		mode = (int)DIP(&din, di_mode) & IFMT;
		if (mode == IFCHR || mode == IFBLK || mode == IFIFO || mode == IFSOCK ||
		    (mode == IFLNK && DIP(&din, di_size) < sblock->fs_maxsymlinklen && DIP(&din, di_blocks) == 0))
			continue;
		ckinode(ino, &din, markused, NULL);
	}
}

/* A fresh header with newfs's layout. */
static void
newheader(struct cg *cg, uint32_t c, uint32_t ndblk)
{
	uint32_t off = CG_SPACE;
	int cpg = sblock->fs_old_cpg > 0 ? sblock->fs_old_cpg : 1;

	memset(cg, 0, sblock->fs_cgsize);
	cg->cg_magic = CG_MAGIC;
	cg->cg_cgx = c;
	cg->cg_ndblk = ndblk;
	if (is_ufs2) {
		cg->cg_niblk = sblock->fs_ipg;
		cg->cg_initediblk = sblock->fs_ipg;
		cg->cg_time = sblock->fs_time;
	} else {
		cg->cg_old_ncyl = (int16_t)cpg;
		cg->cg_old_niblk = (int16_t)sblock->fs_ipg;
		cg->cg_old_time = sblock->fs_old_time;
		cg->cg_old_btotoff = off;
		cg->cg_old_boff = off + 4 * cpg;
		off = cg->cg_old_boff + 2 * cpg;
	}
	cg->cg_iusedoff = off;
	cg->cg_freeoff = off + howmany(sblock->fs_ipg, 8);
	cg->cg_nextfreeoff = cg->cg_freeoff + howmany(sblock->fs_fpg, 8);
	if (sblock->fs_contigsumsize > 0) {
		cg->cg_clustersumoff = roundup(cg->cg_nextfreeoff, 4) - 4;
		cg->cg_clusteroff = cg->cg_clustersumoff + (sblock->fs_contigsumsize + 1) * 4;
		cg->cg_nclusterblks = ndblk / sblock->fs_frag;
		cg->cg_nextfreeoff = cg->cg_clusteroff + howmany(sblock->fs_fpg / sblock->fs_frag, 8);
	}
}

/*
 * A cg header fit to reuse: the right group, and the map offsets newfs
 * gives every group of this geometry (a damaged offset would make maps
 * overlap).
 */
static int
cgok(const struct cg *cg, uint32_t c, uint32_t ndblk)
{
	uint8_t buf[MAXBSIZE];
	struct cg *want = (struct cg *)buf;

	if (cg->cg_magic != CG_MAGIC || cg->cg_cgx != c)
		return (0);
	newheader(want, c, ndblk);
	if (cg->cg_iusedoff != want->cg_iusedoff || cg->cg_freeoff != want->cg_freeoff ||
	    cg->cg_nextfreeoff != want->cg_nextfreeoff)
		return (0);
	if (sblock->fs_contigsumsize > 0 && (cg->cg_clustersumoff != want->cg_clustersumoff ||
	    cg->cg_clusteroff != want->cg_clusteroff || cg->cg_nclusterblks != want->cg_nclusterblks))
		return (0);
	if (!is_ufs2 && (cg->cg_old_btotoff != want->cg_old_btotoff || cg->cg_old_boff != want->cg_old_boff))
		return (0);
	return (1);
}

/* The inode map, fragment map, cluster map and counts of group c, from the passes' findings. */
static void
buildcg(uint32_t c, uint8_t *newbuf, uint32_t ndblk)
{
	struct cg *ncg = (struct cg *)newbuf;
	int32_t *clsum = (int32_t *)(newbuf + ncg->cg_clustersumoff);
	int64_t base = cgbase(sblock, c), b, f;
	int frag = sblock->fs_frag, maxrun = sblock->fs_contigsumsize, run = 0, j;
	uint8_t *freemap = newbuf + ncg->cg_freeoff;
	uint32_t i, ino;

	memset(&ncg->cg_cs, 0, sizeof(ncg->cg_cs));
	memset(ncg->cg_frsum, 0, sizeof(ncg->cg_frsum));
	memset(newbuf + ncg->cg_iusedoff, 0, howmany(sblock->fs_ipg, 8));
	memset(freemap, 0, howmany(sblock->fs_fpg, 8));
	if (maxrun > 0) {
		memset(newbuf + ncg->cg_clusteroff, 0, howmany(ncg->cg_nclusterblks, 8));
		memset(clsum + 1, 0, 4 * maxrun);
	}
	for (i = 0; i < sblock->fs_ipg; i++) {
		ino = c * sblock->fs_ipg + i;
		if (ino >= UFS_ROOTINO && inostat[ino].state == USTATE) {
			ncg->cg_cs.cs_nifree++;
			continue;
		}
		setbit(newbuf + ncg->cg_iusedoff, i);
		if (ino >= UFS_ROOTINO && inostat[ino].state == DSTATE)
			ncg->cg_cs.cs_ndir++;
	}
	for (f = 0; f < ndblk; f++)
		if (!testbmap(base + f))
			setbit(freemap, f);
#define FREE(n) ((n) < ndblk && mapbit(freemap, (n)))
	for (b = 0; b * frag < ndblk; b++) {
		int nfree = 0, r = 0;

		for (j = 0; j < frag; j++)
			nfree += FREE(b * frag + j);
		if (nfree == frag && (b + 1) * frag <= ndblk) {
			/* A whole free block: counted as a block and in the clusters. */
			ncg->cg_cs.cs_nbfree++;
			if (maxrun > 0) {
				setbit(newbuf + ncg->cg_clusteroff, b);
				run++;
			}
			continue;
		}
		if (run > 0)
			clsum[run < maxrun ? run : maxrun]++;
		run = 0;
		ncg->cg_cs.cs_nffree += nfree;
		for (j = 0; j <= frag; j++) {
			if (j < frag && FREE(b * frag + j)) {
				r++;
				continue;
			}
			if (r > 0 && r < frag)
				ncg->cg_frsum[r]++;
			r = 0;
		}
	}
#undef FREE
	if (run > 0 && maxrun > 0)
		clsum[run < maxrun ? run : maxrun]++;
}

/* Once per pass: may the maps and summaries be rewritten?  Preen may. */
static int
salvage(int *fix, const char *msg)
{
	if (*fix >= 0)
		return (*fix);
	pwarn("%s", msg);
	if (preen) {
		printf(" (SALVAGED)\n");
		*fix = 1;
	} else
		*fix = reply("SALVAGE");
	return (*fix);
}

static int
totalswrong(const struct csum_total *tot)
{
	if (is_ufs2)
		return (sblock->fs_cstotal.cs_ndir != tot->cs_ndir || sblock->fs_cstotal.cs_nbfree != tot->cs_nbfree ||
		    sblock->fs_cstotal.cs_nifree != tot->cs_nifree || sblock->fs_cstotal.cs_nffree != tot->cs_nffree);
	return (sblock->fs_old_cstotal.cs_ndir != tot->cs_ndir || sblock->fs_old_cstotal.cs_nbfree != tot->cs_nbfree ||
	    sblock->fs_old_cstotal.cs_nifree != tot->cs_nifree || sblock->fs_old_cstotal.cs_nffree != tot->cs_nffree);
}

static void
settotals(const struct csum_total *tot)
{
	if (is_ufs2 || (sblock->fs_old_flags & FS_FLAGS_UPDATED)) {
		sblock->fs_cstotal.cs_ndir = tot->cs_ndir;
		sblock->fs_cstotal.cs_nbfree = tot->cs_nbfree;
		sblock->fs_cstotal.cs_nifree = tot->cs_nifree;
		sblock->fs_cstotal.cs_nffree = tot->cs_nffree;
	}
	if (!is_ufs2) {
		sblock->fs_old_cstotal.cs_ndir = (int32_t)tot->cs_ndir;
		sblock->fs_old_cstotal.cs_nbfree = (int32_t)tot->cs_nbfree;
		sblock->fs_old_cstotal.cs_nifree = (int32_t)tot->cs_nifree;
		sblock->fs_old_cstotal.cs_nffree = (int32_t)tot->cs_nffree;
	}
}

void
pass5(void)
{
	uint32_t c, ndblk;
	uint8_t *oldbuf, *newbuf, *csbuf, *oldcs;
	struct cg *ocg, *ncg;
	struct csum_total tot;
	int64_t base;
	int64_t csaddr = is_ufs2 ? sblock->fs_csaddr : sblock->fs_old_csaddr;
	size_t cslen = fragroundup(sblock, sblock->fs_cssize);
	int fixmaps = -1;

	rebuildmap();
	oldbuf = malloc(sblock->fs_cgsize);
	newbuf = malloc(sblock->fs_cgsize);
	csbuf = calloc(1, cslen);
	oldcs = malloc(cslen);
	if (oldbuf == NULL || newbuf == NULL || csbuf == NULL || oldcs == NULL)
		errexit("cannot allocate pass 5 buffers\n");
	blread(oldcs, csaddr, cslen);
	memset(&tot, 0, sizeof(tot));
	ocg = (struct cg *)oldbuf;
	ncg = (struct cg *)newbuf;
	for (c = 0; c < sblock->fs_ncg; c++) {
		struct csum *cs = (struct csum *)csbuf + c;

		base = cgbase(sblock, c);
		ndblk = (uint32_t)(maxfsblock - base < sblock->fs_fpg ? maxfsblock - base : sblock->fs_fpg);
		blread(oldbuf, cgtod(sblock, c), sblock->fs_cgsize);
		if (cgok(ocg, c, ndblk)) {
			memcpy(newbuf, oldbuf, sblock->fs_cgsize);
			ncg->cg_ndblk = ndblk;
			if (is_ufs2)
				ncg->cg_niblk = sblock->fs_ipg;
			else
				ncg->cg_old_niblk = (int16_t)sblock->fs_ipg;
		} else {
			/* A header is not something preen rebuilds. */
			pfatal("CG %u: %s\n", c, ocg->cg_magic != CG_MAGIC ? "BAD MAGIC NUMBER" : "BAD HEADER");
			newheader(ncg, c, ndblk);
		}
		if (is_ufs2 && ncg->cg_initediblk > sblock->fs_ipg)
			ncg->cg_initediblk = sblock->fs_ipg;
		if (ncg->cg_rotor >= ndblk)
			ncg->cg_rotor = 0;
		if (ncg->cg_frotor >= ndblk)
			ncg->cg_frotor = 0;
		if (ncg->cg_irotor >= sblock->fs_ipg)
			ncg->cg_irotor = 0;
		buildcg(c, newbuf, ndblk);
		*cs = ncg->cg_cs;
		tot.cs_ndir += cs->cs_ndir;
		tot.cs_nbfree += cs->cs_nbfree;
		tot.cs_nifree += cs->cs_nifree;
		tot.cs_nffree += cs->cs_nffree;
		if (memcmp(newbuf, oldbuf, sblock->fs_cgsize) == 0)
			continue;
		if (salvage(&fixmaps,
		    memcmp(newbuf + ncg->cg_iusedoff, oldbuf + ncg->cg_iusedoff, howmany(sblock->fs_ipg, 8)) != 0 ?
		    "INODE BITMAP WRONG" :
		    memcmp(newbuf + ncg->cg_freeoff, oldbuf + ncg->cg_freeoff, howmany(sblock->fs_fpg, 8)) != 0 ?
		    "BLK(S) MISSING IN BIT MAPS" : "SUMMARY INFORMATION BAD"))
			blwrite(newbuf, cgtod(sblock, c), sblock->fs_cgsize);
	}
	if (memcmp(csbuf, oldcs, cslen) != 0 && salvage(&fixmaps, "SUMMARY INFORMATION BAD"))
		blwrite(csbuf, csaddr, cslen);
	if (totalswrong(&tot)) {
		pwarn("FREE BLK COUNT(S) WRONG IN SUPERBLK");
		if (preen)
			printf(" (SALVAGED)\n");
		if (preen || reply("SALVAGE") == 1) {
			settotals(&tot);
			sbwrite();
		}
	}
	if (fixmaps == 0)
		resolved = 0;
	free(oldbuf);
	free(newbuf);
	free(csbuf);
	free(oldcs);
}
