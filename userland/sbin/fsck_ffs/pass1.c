/*
 * fsck_ffs pass 1: every inode's type, size and blocks; which fragments
 * are claimed, and by whom twice (pass 1b finds the first claimants).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsck.h"

#define MAXBAD	10

struct p1state {
	int64_t	frags;		/* fragments the inode holds */
	int	bad, dup;
};

static void
blkerror(uint32_t ino, const char *type, int64_t blk)
{
	pfatal("%jd %s I=%u", (intmax_t)blk, type, ino);
	printf("\n");
	if (inostat[ino].state == DSTATE)
		inostat[ino].state = DCLEAR;
	else if (inostat[ino].state == FSTATE)
		inostat[ino].state = FCLEAR;
}

static void
adddup(int64_t blk)
{
	static size_t cap;

	if (nduplist == cap) {
		cap = cap ? cap * 2 : 64;
		if ((duplist = realloc(duplist, cap * sizeof(*duplist))) == NULL)
			errexit("cannot allocate the duplicate block list\n");
	}
	duplist[nduplist++] = blk;
}

static int
pass1check(uint32_t ino, int64_t blk, int nfrags, int pasteof, void *arg)
{
	struct p1state *ps = arg;
	int i, res = KEEPON;

	if (pasteof || chkrange(blk, nfrags)) {
		blkerror(ino, pasteof ? "PAST EOF" : "BAD", blk);
		if (++ps->bad >= MAXBAD) {
			pwarn("EXCESSIVE BAD BLKS I=%u", ino);
			if (reply("CONTINUE") == 0)
				errexit("\n");
			return (STOP);
		}
		if (chkrange(blk, nfrags))
			return (SKIP);
		res = pasteof ? KEEPON : SKIP;
	}
	for (i = 0; i < nfrags; i++) {
		if (testbmap(blk + i)) {
			blkerror(ino, "DUP", blk + i);
			adddup(blk + i);
			if (++ps->dup >= MAXBAD) {
				pwarn("EXCESSIVE DUP BLKS I=%u", ino);
				if (reply("CONTINUE") == 0)
					errexit("\n");
				return (STOP);
			}
		} else {
			setbmap(blk + i);
			n_blks++;
		}
	}
	ps->frags += nfrags;
	return (res);
}

static int
ftypeok(int mode)
{
	switch (mode & IFMT) {
	case IFDIR: case IFREG: case IFBLK: case IFCHR: case IFLNK: case IFSOCK: case IFIFO:
		return (1);
	}
	return (0);
}

static void
checkinode(uint32_t ino, union dinode *dp)
{
	int mode = (int)DIP(dp, di_mode);
	int64_t size = DIP(dp, di_size), blocks = DIP(dp, di_blocks), counted;
	struct p1state ps = { 0, 0, 0 };
	struct inostat *is = &inostat[ino];
	union dinode din;

	if (mode == 0)
		return;
	n_files++;
	is->nlink = (int16_t)DIP(dp, di_nlink);
	is->size = size;
	is->dt = IFTODT(mode);
	if (!ftypeok(mode) || size < 0 || (uint64_t)size > sblock->fs_maxfilesize ||
	    ((mode & IFMT) == IFDIR && (size == 0 || size % DIRBLKSIZ))) {
		pfatal("%s I=%u", !ftypeok(mode) ? "UNKNOWN FILE TYPE" : "BAD SIZE", ino);
		if (reply("CLEAR") == 1) {
			n_files--;
			dp = ginode(ino);
			memset(dp, 0, DINODE_SIZE);
			inodirty();
			return;
		}
		is->state = (mode & IFMT) == IFDIR ? DCLEAR : FCLEAR;
		return;
	}
	is->state = (mode & IFMT) == IFDIR ? DSTATE : FSTATE;
	/* Special files and fast symlinks hold no blocks: db[0] is a device number or the link text. */
	if ((mode & IFMT) == IFCHR || (mode & IFMT) == IFBLK || (mode & IFMT) == IFIFO || (mode & IFMT) == IFSOCK ||
	    ((mode & IFMT) == IFLNK && size < sblock->fs_maxsymlinklen && blocks == 0))
		counted = 0;
	else {
		din = *dp;
		ckinode(ino, &din, pass1check, &ps);
		counted = ps.frags * (sblock->fs_fsize / DEV_BSIZE);
	}
	if (counted != blocks) {
		pwarn("INCORRECT BLOCK COUNT I=%u (%jd should be %jd)", ino, (intmax_t)blocks, (intmax_t)counted);
		if (preen)
			printf(" (CORRECTED)\n");
		else if (reply("CORRECT") == 0)
			return;
		dp = ginode(ino);
		DIP_SET(dp, di_blocks, counted);
		inodirty();
	}
}

/* The fragments of cylinder group c's metadata (and the summary area) are in use. */
static void
markmeta(void)
{
	int64_t f;

	for (f = 0; f < maxfsblock; f++)
		if (ismeta(f)) {
			setbmap(f);
			n_blks++;
		}
}

void
pass1(void)
{
	uint32_t c, i, ino, inited;
	uint8_t *cgbuf, *tbl;
	struct cg *cgp;
	size_t chunk, per = 256, j;

	markmeta();
	free(cginited);
	cginited = calloc(sblock->fs_ncg, sizeof(*cginited));
	cgbuf = malloc(sblock->fs_cgsize);
	tbl = malloc(per * DINODE_SIZE);
	if (cginited == NULL || cgbuf == NULL || tbl == NULL)
		errexit("cannot allocate pass 1 buffers\n");
	cgp = (struct cg *)cgbuf;
	for (c = 0; c < sblock->fs_ncg; c++) {
		blread(cgbuf, cgtod(sblock, c), sblock->fs_cgsize);
		inited = sblock->fs_ipg;
		if (is_ufs2 && cgp->cg_magic == CG_MAGIC && cgp->cg_initediblk <= sblock->fs_ipg)
			inited = cgp->cg_initediblk;
		if (is_ufs2 && cgp->cg_magic != CG_MAGIC)
			inited = sblock->fs_ipg;
		cginited[c] = inited;
		for (i = 0; i < inited; i += chunk) {
			chunk = inited - i < per ? inited - i : per;
			rawread(tbl, (off_t)cgimin(sblock, c) * sblock->fs_fsize + (off_t)i * DINODE_SIZE,
			    chunk * DINODE_SIZE);
			for (j = 0; j < chunk; j++) {
				ino = c * sblock->fs_ipg + i + j;
				if (ino < UFS_ROOTINO)
					continue;
				checkinode(ino, (union dinode *)(tbl + j * DINODE_SIZE));
			}
		}
	}
	free(tbl);
	free(cgbuf);
	inoflush();
}

/* Pass 1b: the other claimants of every duplicate fragment. */
static int
cmpblk(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x < y ? -1 : x > y);
}

static int
pass1bcheck(uint32_t ino, int64_t blk, int nfrags, int pasteof, void *arg)
{
	int i;

	(void)pasteof;
	(void)arg;
	if (chkrange(blk, nfrags))
		return (SKIP);
	for (i = 0; i < nfrags; i++) {
		int64_t b = blk + i;

		if (bsearch(&b, duplist, nduplist, sizeof(*duplist), cmpblk) != NULL &&
		    (inostat[ino].state == FSTATE || inostat[ino].state == DSTATE)) {
			blkerror(ino, "DUP", b);
			return (STOP);
		}
	}
	return (KEEPON);
}

void
pass1b(void)
{
	uint32_t ino;
	union dinode din;

	qsort(duplist, nduplist, sizeof(*duplist), cmpblk);
	for (ino = UFS_ROOTINO; ino < maxino; ino++) {
		int mode;

		if (inostat[ino].state != FSTATE && inostat[ino].state != DSTATE)
			continue;
		din = *ginode(ino);
		mode = (int)DIP(&din, di_mode) & IFMT;
		if (mode == IFCHR || mode == IFBLK || mode == IFIFO || mode == IFSOCK ||
		    (mode == IFLNK && DIP(&din, di_blocks) == 0))
			continue;
		ckinode(ino, &din, pass1bcheck, NULL);
	}
}
