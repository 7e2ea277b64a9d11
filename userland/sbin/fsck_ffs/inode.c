/*
 * fsck_ffs: inodes, block walks, allocation and directory edits (BSD's
 * inode.c and dir.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fsck.h"

/* One fragment of the inode table, cached: ginode's pointer lives until the next call. */
static uint8_t *inobuf;
static int64_t inobufblk = -1;

union dinode *
ginode(uint32_t ino)
{
	int64_t off, blk;
	uint32_t c;

	if (ino >= maxino)
		errexit("bad inode number %u to ginode\n", ino);
	if (inobuf == NULL && (inobuf = malloc(MAXBSIZE)) == NULL)
		errexit("cannot allocate inode buffer\n");
	c = ino_to_cg(sblock, ino);
	off = (int64_t)cgimin(sblock, c) * sblock->fs_fsize + (int64_t)(ino % sblock->fs_ipg) * DINODE_SIZE;
	blk = off / sblock->fs_fsize;
	if (blk != inobufblk) {
		blread(inobuf, blk, sblock->fs_fsize);
		inobufblk = blk;
	}
	return ((union dinode *)(inobuf + off % sblock->fs_fsize));
}

/* The inode ginode last returned was changed: write its fragment. */
void
inodirty(void)
{
	if (inobufblk < 0)
		return;
	blwrite(inobuf, inobufblk, sblock->fs_fsize);
	inomodified = 1;
}

/* Forget the cached inode fragment (the table was written behind it). */
void
inoflush(void)
{
	inobufblk = -1;
}

/* Clear an inode: its blocks go back to the maps in pass 5. */
void
clri(uint32_t ino, const char *type, int flag)
{
	union dinode *dp;

	dp = ginode(ino);
	if (flag == 1) {
		pwarn("%s %s", type, (DIP(dp, di_mode) & IFMT) == IFDIR ? "DIR" : "FILE");
		pinode(ino);
	}
	if (preen || reply("CLEAR") == 1) {
		if (preen)
			printf(" (CLEARED)\n");
		n_files--;
		memset(dp, 0, DINODE_SIZE);
		inodirty();
		inostat[ino].state = USTATE;
	}
}

int64_t
blksize_of(int64_t size, int64_t lbn)
{
	if (lbn >= UFS_NDADDR || size >= (lbn + 1) * sblock->fs_bsize)
		return (sblock->fs_bsize);
	return (fragroundup(sblock, blkoff(sblock, size)));
}

/* Is frag file system metadata (boot area, superblock copies, cg blocks, inodes, summary)? */
int
ismeta(int64_t frag)
{
	int64_t c = dtog(sblock, frag);
	int64_t csaddr = is_ufs2 ? sblock->fs_csaddr : sblock->fs_old_csaddr;

	if (frag >= cgsblock(sblock, c) && frag < cgdmin(sblock, c))
		return (1);
	if (c == 0 && frag < cgsblock(sblock, 0))
		return (1);
	return (frag >= csaddr && frag < csaddr + howmany(sblock->fs_cssize, sblock->fs_fsize));
}

/* 1 if [frag, frag+cnt) is not a valid run of data fragments inside one block. */
int
chkrange(int64_t frag, int cnt)
{
	int i;

	if (cnt <= 0 || frag <= 0 || frag >= maxfsblock || cnt - 1 > maxfsblock - frag - 1)
		return (1);
	if (cnt > sblock->fs_frag || (frag % sblock->fs_frag) + cnt > sblock->fs_frag)
		return (1);
	for (i = 0; i < cnt; i++)
		if (ismeta(frag + i))
			return (1);
	return (0);
}

static int64_t
getptr(const uint8_t *buf, int i)
{
	if (is_ufs2)
		return (((const int64_t *)buf)[i]);
	return (((const int32_t *)buf)[i]);
}

static int
iblock(uint32_t ino, int64_t blk, int level, int64_t base, int64_t lastlbn, blkfn fn, void *arg)
{
	int64_t span = 1, child;
	uint8_t *buf;
	int i, r;

	r = fn(ino, blk, sblock->fs_frag, base > lastlbn, arg);
	if (r != KEEPON)
		return (r & STOP);
	if ((buf = malloc(sblock->fs_bsize)) == NULL)
		errexit("cannot allocate indirect block\n");
	blread(buf, blk, sblock->fs_bsize);
	for (i = 0; i < level; i++)
		span *= sblock->fs_nindir;
	for (i = 0; i < sblock->fs_nindir; i++) {
		if ((child = getptr(buf, i)) == 0)
			continue;
		if (level == 0)
			r = fn(ino, child, sblock->fs_frag, base + i > lastlbn, arg) & STOP;
		else
			r = iblock(ino, child, level - 1, base + i * span, lastlbn, fn, arg);
		if (r == STOP)
			break;
	}
	free(buf);
	return (r == STOP ? STOP : KEEPON);
}

/* Call fn on every block of the inode: data and indirect, with whether it lies past EOF. */
int
ckinode(uint32_t ino, union dinode *dp, blkfn fn, void *arg)
{
	int64_t db[UFS_NDADDR], ib[UFS_NIADDR], size, lastlbn, base, span;
	int i;

	size = DIP(dp, di_size);
	for (i = 0; i < UFS_NDADDR; i++)
		db[i] = DIP(dp, di_db[i]);
	for (i = 0; i < UFS_NIADDR; i++)
		ib[i] = DIP(dp, di_ib[i]);
	lastlbn = size <= 0 ? -1 : lblkno(sblock, size - 1);
	for (i = 0; i < UFS_NDADDR; i++) {
		if (db[i] == 0)
			continue;
		if (fn(ino, db[i], (int)numfrags(sblock, blksize_of(size, i)), i > lastlbn, arg) & STOP)
			return (STOP);
	}
	base = UFS_NDADDR;
	span = 1;
	for (i = 0; i < UFS_NIADDR; i++) {
		span *= sblock->fs_nindir;
		if (ib[i] != 0 && iblock(ino, ib[i], i, base, lastlbn, fn, arg) == STOP)
			return (STOP);
		base += span;
	}
	return (KEEPON);
}

/* The fragment address of logical block lbn (0: a hole or out of range). */
int64_t
bmap(union dinode *dp, int64_t lbn)
{
	int64_t span = 1, blk, cspan;
	uint8_t *buf;
	int level, l;

	if (lbn < UFS_NDADDR)
		return (DIP(dp, di_db[lbn]));
	lbn -= UFS_NDADDR;
	for (level = 0; level < UFS_NIADDR; level++) {
		span *= sblock->fs_nindir;
		if (lbn < span)
			break;
		lbn -= span;
	}
	if (level == UFS_NIADDR)
		return (0);
	blk = DIP(dp, di_ib[level]);
	if ((buf = malloc(sblock->fs_bsize)) == NULL)
		errexit("cannot allocate indirect block\n");
	for (l = level; l >= 0 && blk != 0; l--) {
		int i;

		if (chkrange(blk, sblock->fs_frag)) {
			blk = 0;
			break;
		}
		blread(buf, blk, sblock->fs_bsize);
		for (cspan = 1, i = 0; i < l; i++)
			cspan *= sblock->fs_nindir;
		blk = getptr(buf, (int)(lbn / cspan));
		lbn %= cspan;
	}
	free(buf);
	return (blk);
}

/* A run of frags free fragments inside one block, now in use; 0 if none. */
int64_t
allocblk(int frags)
{
	int64_t b, i, j;

	for (b = 0; b + sblock->fs_frag <= maxfsblock; b += sblock->fs_frag) {
		for (i = 0; i + frags <= sblock->fs_frag; i++) {
			for (j = 0; j < frags; j++)
				if (testbmap(b + i + j) || ismeta(b + i + j))
					break;
			if (j < frags)
				continue;
			for (j = 0; j < frags; j++)
				setbmap(b + i + j);
			return (b + i);
		}
	}
	return (0);
}

/* A free inode (one already initialized on disk). */
uint32_t
allocino(int mode)
{
	uint32_t ino;

	for (ino = UFS_ROOTINO + 1; ino < maxino; ino++) {
		if (inostat[ino].state != USTATE)
			continue;
		if (ino % sblock->fs_ipg >= cginited[ino_to_cg(sblock, ino)])
			continue;
		inostat[ino].state = (mode & IFMT) == IFDIR ? DSTATE : FSTATE;
		inostat[ino].dt = IFTODT(mode);
		n_files++;
		return (ino);
	}
	return (0);
}

int
isdot(const struct direct *dp)
{
	return (dp->d_namlen == 1 && dp->d_name[0] == '.');
}

int
isdotdot(const struct direct *dp)
{
	return (dp->d_namlen == 2 && dp->d_name[0] == '.' && dp->d_name[1] == '.');
}

/* A chunk's records are sound enough to walk (reclen chain inside the chunk). */
static int
chunkok(const uint8_t *chunk)
{
	int off = 0;

	while (off < DIRBLKSIZ) {
		const struct direct *dp = (const struct direct *)(chunk + off);

		if (dp->d_reclen < 8 || (dp->d_reclen & 3) || off + dp->d_reclen > DIRBLKSIZ)
			return (0);
		if (dp->d_ino != 0 && (dp->d_namlen == 0 || DIRSIZ(dp->d_namlen) > dp->d_reclen))
			return (0);
		off += dp->d_reclen;
	}
	return (1);
}

/*
 * Call fn on every record (free ones too) of directory ino's sound chunks;
 * fn returns STOP and/or ALTERED (the block is written back).
 */
int
dirscan(uint32_t ino, int (*fn)(uint32_t dir, struct direct *dp, int entryno, void *arg), void *arg)
{
	union dinode din;
	int64_t size, lbn, blk, len;
	uint8_t *buf;
	int entryno = 0, r = 0, altered;
	int off;

	din = *ginode(ino);
	size = DIP(&din, di_size);
	if ((buf = malloc(sblock->fs_bsize)) == NULL)
		errexit("cannot allocate directory block\n");
	for (lbn = 0; lbn * sblock->fs_bsize < size && !(r & STOP); lbn++) {
		blk = bmap(&din, lbn);
		len = size - lbn * sblock->fs_bsize;
		if (len > sblock->fs_bsize)
			len = sblock->fs_bsize;
		if (blk == 0 || chkrange(blk, (int)numfrags(sblock, len)))
			continue;
		blread(buf, blk, len);
		altered = 0;
		for (off = 0; off + DIRBLKSIZ <= len && !(r & STOP); off += DIRBLKSIZ) {
			int roff = 0;

			if (!chunkok(buf + off))
				continue;
			while (roff < DIRBLKSIZ && !(r & STOP)) {
				struct direct *dp = (struct direct *)(buf + off + roff);

				r = fn(ino, dp, dp->d_ino ? entryno++ : -1, arg);
				altered |= r & ALTERED;
				roff += dp->d_reclen;
			}
		}
		if (altered) {
			blwrite(buf, blk, len);
			inomodified = 1;
		}
	}
	free(buf);
	return (r);
}

struct newent {
	uint32_t ino;
	const char *name;
	int	 done;
};

static void
setent(struct direct *dp, uint32_t ino, int reclen, uint8_t type, const char *name)
{
	size_t n = strlen(name);

	dp->d_ino = ino;
	dp->d_reclen = reclen;
	dp->d_type = type;
	dp->d_namlen = n;
	memcpy(dp->d_name, name, n);
	memset(dp->d_name + n, 0, DIRSIZ(n) - 8 - n);
}

static int
putent(uint32_t dir, struct direct *dp, int entryno, void *arg)
{
	struct newent *ne = arg;
	int need = DIRSIZ(strlen(ne->name));

	(void)dir;
	(void)entryno;
	if (dp->d_ino == 0 && dp->d_reclen >= need) {
		setent(dp, ne->ino, dp->d_reclen, inostat[ne->ino].dt, ne->name);
	} else if (dp->d_ino != 0 && dp->d_reclen >= DIRSIZ(dp->d_namlen) + need) {
		int rest = dp->d_reclen - DIRSIZ(dp->d_namlen);

		dp->d_reclen = DIRSIZ(dp->d_namlen);
		setent((struct direct *)((uint8_t *)dp + dp->d_reclen), ne->ino, rest, inostat[ne->ino].dt, ne->name);
	} else
		return (KEEPON);
	ne->done = 1;
	return (STOP | ALTERED);
}

/* Grow a directory by one DIRBLKSIZ chunk (a new fragment, or a bigger run for its tail). */
static int
expanddir(uint32_t dir)
{
	union dinode *dp;
	int64_t size, lbn, old, nblk;
	int oldfrags, newfrags;
	uint8_t *buf;
	struct direct *ep;

	dp = ginode(dir);
	size = DIP(dp, di_size);
	lbn = lblkno(sblock, size);
	if (lbn >= UFS_NDADDR)
		return (0);
	if ((buf = calloc(1, sblock->fs_bsize)) == NULL)
		return (0);
	oldfrags = blkoff(sblock, size) ? (int)numfrags(sblock, blksize_of(size, lbn)) : 0;
	newfrags = (int)numfrags(sblock, blksize_of(size + DIRBLKSIZ, lbn));
	old = oldfrags ? DIP(dp, di_db[lbn]) : 0;
	if (oldfrags && old == 0) {
		free(buf);
		return (0);
	}
	if (oldfrags)
		blread(buf, old, (size_t)oldfrags * sblock->fs_fsize);
	if (oldfrags == newfrags) {
		nblk = old;
	} else {
		int i;

		if ((nblk = allocblk(newfrags)) == 0) {
			free(buf);
			return (0);
		}
		for (i = 0; i < oldfrags; i++)
			clrbmap(old + i);
	}
	ep = (struct direct *)(buf + blkoff(sblock, size));
	memset(ep, 0, DIRBLKSIZ);
	ep->d_reclen = DIRBLKSIZ;
	blwrite(buf, nblk, (size_t)newfrags * sblock->fs_fsize);
	free(buf);
	dp = ginode(dir);
	DIP_SET(dp, di_db[lbn], nblk);
	DIP_SET(dp, di_size, size + DIRBLKSIZ);
	DIP_SET(dp, di_blocks, DIP(dp, di_blocks) + (int64_t)(newfrags - oldfrags) * (sblock->fs_fsize / DEV_BSIZE));
	inodirty();
	inostat[dir].size = size + DIRBLKSIZ;
	return (1);
}

/* Enter name → ino in directory parent, growing it if it is full. */
int
makeentry(uint32_t parent, uint32_t ino, const char *name)
{
	struct newent ne = { ino, name, 0 };

	if (parent < UFS_ROOTINO || parent >= maxino || ino < UFS_ROOTINO || ino >= maxino)
		return (0);
	dirscan(parent, putent, &ne);
	if (!ne.done && expanddir(parent))
		dirscan(parent, putent, &ne);
	return (ne.done);
}

struct chent {
	const char *name;
	uint32_t ino;
	int	 done;
};

static int
chino(uint32_t dir, struct direct *dp, int entryno, void *arg)
{
	struct chent *ce = arg;

	(void)dir;
	if (entryno < 0 || dp->d_namlen != strlen(ce->name) || memcmp(dp->d_name, ce->name, dp->d_namlen) != 0)
		return (KEEPON);
	dp->d_ino = ce->ino;
	ce->done = 1;
	return (STOP | ALTERED);
}

int
changeino(uint32_t dir, const char *name, uint32_t newnum)
{
	struct chent ce = { name, newnum, 0 };

	dirscan(dir, chino, &ce);
	return (ce.done);
}

/* Write an empty directory at inode ino: one fragment holding "." and "..". */
int
writedir(uint32_t ino, uint32_t parent, int mode)
{
	union dinode *dp;
	int64_t blk;
	uint8_t *buf;
	time_t now = time(NULL);

	if ((blk = allocblk(1)) == 0 || (buf = calloc(1, sblock->fs_fsize)) == NULL)
		return (0);
	setent((struct direct *)buf, ino, 12, DT_DIR, ".");
	setent((struct direct *)(buf + 12), parent, DIRBLKSIZ - 12, DT_DIR, "..");
	blwrite(buf, blk, sblock->fs_fsize);
	free(buf);
	dp = ginode(ino);
	memset(dp, 0, DINODE_SIZE);
	DIP_SET(dp, di_mode, IFDIR | mode);
	DIP_SET(dp, di_nlink, 2);
	DIP_SET(dp, di_size, DIRBLKSIZ);
	DIP_SET(dp, di_blocks, sblock->fs_fsize / DEV_BSIZE);
	DIP_SET(dp, di_db[0], blk);
	DIP_SET(dp, di_atime, now);
	DIP_SET(dp, di_mtime, now);
	DIP_SET(dp, di_ctime, now);
	if (is_ufs2)
		dp->dp2.di_birthtime = now;
	DIP_SET(dp, di_gen, (uint32_t)now ^ ino);
	inodirty();
	return (1);
}

/* A new directory under parent (lost+found), counted as pass 2 would have. */
uint32_t
allocdir(uint32_t parent, int mode)
{
	union dinode *dp;
	uint32_t ino;

	if ((ino = allocino(IFDIR | mode)) == 0)
		return (0);
	if (!writedir(ino, parent, mode)) {
		inostat[ino].state = USTATE;
		n_files--;
		return (0);
	}
	inostat[ino] = (struct inostat){ .state = DSTATE, .dt = DT_DIR, .found = 1, .nlink = 2, .refs = 1,
	    .parent = parent, .dotdot = parent, .size = DIRBLKSIZ };
	/* Its ".." is a link to the parent. */
	dp = ginode(parent);
	DIP_SET(dp, di_nlink, DIP(dp, di_nlink) + 1);
	inodirty();
	inostat[parent].nlink++;
	inostat[parent].refs++;
	return (ino);
}

struct lookup {
	const char *name;
	uint32_t ino;
};

static int
findent(uint32_t dir, struct direct *dp, int entryno, void *arg)
{
	struct lookup *lk = arg;

	(void)dir;
	if (entryno < 0 || dp->d_namlen != strlen(lk->name) || memcmp(dp->d_name, lk->name, dp->d_namlen) != 0)
		return (KEEPON);
	lk->ino = dp->d_ino;
	return (STOP);
}

/*
 * Put an unreferenced file or directory into lost+found (made if needed),
 * as #inumber.  0 if it stays where it is.
 */
int
linkup(uint32_t orphan, uint32_t parentdir)
{
	int isdir = inostat[orphan].state == DSTATE;
	char name[32];
	union dinode *dp;

	pwarn("UNREF %s ", isdir ? "DIR" : "FILE");
	pinode(orphan);
	if (preen && inostat[orphan].size == 0)
		return (0);
	if (preen)
		printf(" (RECONNECTED)\n");
	else if (reply("RECONNECT") == 0)
		return (0);
	if (lfdir == 0) {
		struct lookup lk = { "lost+found", 0 };

		dirscan(UFS_ROOTINO, findent, &lk);
		if (lk.ino >= UFS_ROOTINO && lk.ino < maxino && inostat[lk.ino].state == DSTATE)
			lfdir = lk.ino;
		else if (lk.ino != 0) {
			pfatal("lost+found IS NOT A DIRECTORY");
			if (preen || reply("REALLOCATE") == 0)
				return (0);
			lfdir = allocdir(UFS_ROOTINO, 0700);
			if (lfdir == 0 || !changeino(UFS_ROOTINO, "lost+found", lfdir)) {
				pfatal("SORRY. CANNOT CREATE lost+found DIRECTORY\n\n");
				return (0);
			}
			inostat[lk.ino].refs--;
			inostat[lfdir].refs++;
		} else {
			pwarn("NO lost+found DIRECTORY");
			if (preen)
				printf(" (CREATED)\n");
			else if (reply("CREATE") == 0)
				return (0);
			lfdir = allocdir(UFS_ROOTINO, 0700);
			if (lfdir == 0 || !makeentry(UFS_ROOTINO, lfdir, "lost+found")) {
				pfatal("SORRY. CANNOT CREATE lost+found DIRECTORY\n\n");
				lfdir = 0;
				return (0);
			}
			inostat[lfdir].refs++;
		}
	}
	snprintf(name, sizeof(name), "#%u", orphan);
	if (!makeentry(lfdir, orphan, name)) {
		pfatal("SORRY. NO SPACE IN lost+found DIRECTORY");
		printf("\n\n");
		return (0);
	}
	inostat[orphan].refs++;
	if (isdir) {
		uint32_t old = inostat[orphan].dotdot;

		if (changeino(orphan, "..", lfdir)) {
			if (old >= UFS_ROOTINO && old < maxino && inostat[old].state == DSTATE)
				inostat[old].refs--;
			inostat[orphan].dotdot = lfdir;
		} else
			makeentry(orphan, lfdir, "..");
		inostat[orphan].parent = lfdir;
		inostat[lfdir].refs++;
		dp = ginode(lfdir);
		DIP_SET(dp, di_nlink, DIP(dp, di_nlink) + 1);
		inodirty();
		inostat[lfdir].nlink++;
		pwarn("DIR I=%u CONNECTED. ", orphan);
		if (parentdir != 0)
			printf("PARENT WAS I=%u\n", parentdir);
		if (!preen)
			printf("\n");
	}
	return (1);
}
