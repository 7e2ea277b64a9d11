/*
 * fsck_ffs pass 2: every directory's records: sound chunks, "." and ".."
 * first, names of allocated inodes with the right d_type, no second name
 * for a directory.  Counts the references pass 4 compares with the link
 * counts, and the parent of every directory for pass 3.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsck.h"

static char namebuf[UFS_MAXNAMLEN + 1];

/* ufs_dirbadentry's rules for one record with space bytes left in its chunk. */
static int
recok(const struct direct *dp, int space)
{
	int i;

	if (dp->d_reclen < 8 || (dp->d_reclen & 3) || dp->d_reclen > space)
		return (0);
	if (dp->d_ino == 0)
		return (1);
	if (dp->d_namlen == 0 || DIRSIZ(dp->d_namlen) > dp->d_reclen)
		return (0);
	for (i = 0; i < dp->d_namlen; i++)
		if (dp->d_name[i] == '\0' || dp->d_name[i] == '/')
			return (0);
	return (1);
}

static void
setname(const struct direct *dp)
{
	memcpy(namebuf, dp->d_name, dp->d_namlen);
	namebuf[dp->d_namlen] = '\0';
	errname = namebuf;
}

static void
fill(struct direct *dp, uint32_t ino, const char *name)
{
	size_t n = strlen(name);

	dp->d_ino = ino;
	dp->d_type = DT_DIR;
	dp->d_namlen = n;
	memset(dp->d_name, 0, DIRSIZ(n) - 8);
	memcpy(dp->d_name, name, n);
}

/* Position 0 of a directory: ".". Returns ALTERED if it changed the record. */
static int
checkdot(uint32_t dir, struct direct *dp)
{
	int ret = 0;

	if (dp->d_ino != 0 && isdot(dp)) {
		if (dp->d_ino != dir) {
			direrror(dir, "BAD INODE NUMBER FOR '.'");
			if (reply("FIX") == 1) {
				dp->d_ino = dir;
				ret = ALTERED;
			}
		}
		if (dp->d_type != DT_DIR) {
			direrror(dir, "BAD TYPE VALUE FOR '.'");
			if (reply("FIX") == 1) {
				dp->d_type = DT_DIR;
				ret = ALTERED;
			}
		}
		inostat[dir].refs++;
		return (ret);
	}
	direrror(dir, "MISSING '.'");
	if (dp->d_ino != 0 || dp->d_reclen < DIRSIZ(1)) {
		setname(dp);
		pfatal("CANNOT FIX, FIRST ENTRY IN DIRECTORY CONTAINS %s\n", namebuf);
		return (-1);
	}
	if (reply("FIX") == 0)
		return (0);
	if (dp->d_reclen >= DIRSIZ(1) + 12) {
		/* The rest of the record stays free space after ".". */
		struct direct *rest = (struct direct *)((uint8_t *)dp + DIRSIZ(1));

		rest->d_ino = 0;
		rest->d_reclen = dp->d_reclen - DIRSIZ(1);
		rest->d_type = 0;
		rest->d_namlen = 0;
		dp->d_reclen = DIRSIZ(1);
	}
	fill(dp, dir, ".");
	inostat[dir].refs++;
	return (ALTERED);
}

/* Position 1: "..". */
static int
checkdotdot(uint32_t dir, struct direct *dp)
{
	if (dp->d_ino != 0 && isdotdot(dp)) {
		inostat[dir].dotdot = dp->d_ino;
		if (dp->d_type != DT_DIR) {
			direrror(dir, "BAD TYPE VALUE FOR '..'");
			if (reply("FIX") == 1) {
				dp->d_type = DT_DIR;
				return (ALTERED);
			}
		}
		return (0);
	}
	direrror(dir, "MISSING '..'");
	if (dp->d_ino != 0 || dp->d_reclen < DIRSIZ(2)) {
		setname(dp);
		pfatal("CANNOT FIX, SECOND ENTRY IN DIRECTORY CONTAINS %s\n", namebuf);
		return (-1);
	}
	if (reply("FIX") == 0)
		return (0);
	/* Pass 3 points it at the real parent. */
	fill(dp, UFS_ROOTINO, "..");
	inostat[dir].dotdot = UFS_ROOTINO;
	return (ALTERED);
}

/* Any other record: 1 to remove it, with ALTERED or'ed in when it was edited. */
static int
checkentry(uint32_t dir, struct direct *dp)
{
	uint32_t ino = dp->d_ino;
	struct inostat *is;
	const char *why = NULL;

	setname(dp);
	if (isdot(dp) || isdotdot(dp)) {
		fileerror(dir, dir, isdot(dp) ? "EXTRA '.' ENTRY" : "EXTRA '..' ENTRY");
		return (reply("FIX") == 1);
	}
	if (ino < UFS_ROOTINO || ino >= maxino)
		why = "I OUT OF RANGE";
	else if (inostat[ino].state == USTATE)
		why = "UNALLOCATED";
	else if (inostat[ino].state == FCLEAR || inostat[ino].state == DCLEAR)
		why = "DUP/BAD";
	if (why != NULL) {
		fileerror(dir, ino, why);
		if (reply("REMOVE") == 1)
			return (1);
		if (ino >= UFS_ROOTINO && ino < maxino)
			inostat[ino].refs++;
		return (0);
	}
	is = &inostat[ino];
	if (is->state == DSTATE && is->parent != 0) {
		char dirpath[1024], target[1024];

		getpathname(dirpath, sizeof(dirpath), dir);
		getpathname(target, sizeof(target), ino);
		pwarn("%s%s%s IS AN EXTRANEOUS HARD LINK TO DIRECTORY %s", dirpath,
		    strcmp(dirpath, "/") == 0 ? "" : "/", namebuf, target);
		if (preen) {
			printf(" (REMOVED)\n");
			return (1);
		}
		if (reply("REMOVE") == 1)
			return (1);
	}
	if (dp->d_type != is->dt) {
		fileerror(dir, ino, "BAD TYPE VALUE");
		if (reply("FIX") == 1) {
			dp->d_type = is->dt;
			is->refs++;
			if (is->state == DSTATE && is->parent == 0)
				is->parent = dir;
			return (ALTERED);
		}
	}
	is->refs++;
	if (is->state == DSTATE && is->parent == 0)
		is->parent = dir;
	return (0);
}

static void
checkdir(uint32_t dir)
{
	union dinode din;
	int64_t size, lbn, blk, len;
	uint8_t *buf;
	int pos = 0, off;

	din = *ginode(dir);
	size = DIP(&din, di_size);
	if ((buf = malloc(sblock->fs_bsize)) == NULL)
		errexit("cannot allocate directory block\n");
	for (lbn = 0; lbn * sblock->fs_bsize < size; lbn++) {
		int altered = 0;

		len = size - lbn * sblock->fs_bsize;
		if (len > sblock->fs_bsize)
			len = sblock->fs_bsize;
		blk = bmap(&din, lbn);
		if (blk == 0 || chkrange(blk, (int)numfrags(sblock, len))) {
			direrror(dir, "DIRECTORY HAS A HOLE");
			if (reply("CLEAR") == 1)
				inostat[dir].state = DCLEAR;
			break;
		}
		blread(buf, blk, len);
		for (off = 0; off + DIRBLKSIZ <= len; off += DIRBLKSIZ) {
			uint8_t *chunk = buf + off;
			struct direct *prev = NULL;
			int loc = 0;

			while (loc < DIRBLKSIZ) {
				struct direct *dp = (struct direct *)(chunk + loc);
				int r;

				if (!recok(dp, DIRBLKSIZ - loc)) {
					errname = NULL;
					direrror(dir, "DIRECTORY CORRUPTED");
					if (reply("SALVAGE") == 1) {
						/* The rest of the chunk is lost: the previous record (or a free one) spans it. */
						if (prev != NULL)
							prev->d_reclen += DIRBLKSIZ - loc;
						else {
							memset(dp, 0, 8);
							dp->d_reclen = DIRBLKSIZ;
							altered = 1;
							continue;
						}
						altered = 1;
					}
					break;
				}
				r = 0;
				if (pos == 0)
					r = checkdot(dir, dp);
				else if (pos == 1)
					r = checkdotdot(dir, dp);
				else if (dp->d_ino != 0)
					r = checkentry(dir, dp);
				if (r > 0 && (r & ALTERED))
					altered = 1;
				if (r > 0 && (r & 1) && pos > 1) {
					/* Remove: the previous record takes its space, or it becomes free. */
					if (prev != NULL)
						prev->d_reclen += dp->d_reclen;
					else
						dp->d_ino = 0;
					altered = 1;
					if (prev != NULL) {
						loc = (int)((uint8_t *)prev - chunk) + prev->d_reclen;
						pos++;
						continue;
					}
				}
				pos++;
				prev = dp;
				loc += dp->d_reclen;
			}
		}
		if (altered) {
			blwrite(buf, blk, len);
			inomodified = 1;
		}
	}
	errname = NULL;
	free(buf);
}

/*
 * A new, empty root directory in inode 2: what hung below the old one is
 * reconnected to lost+found by passes 3 and 4.  Its blocks go back to the
 * maps in pass 5.
 */
static void
reallocroot(void)
{
	union dinode *dp;

	if (inostat[UFS_ROOTINO].state == USTATE)
		n_files++;
	dp = ginode(UFS_ROOTINO);
	memset(dp, 0, DINODE_SIZE);
	inodirty();
	inostat[UFS_ROOTINO].state = USTATE;
	if (!writedir(UFS_ROOTINO, UFS_ROOTINO, 0755))
		errexit("CANNOT ALLOCATE ROOT INODE\n");
	/* "." and ".." are counted by the scan below, as for any directory. */
	inostat[UFS_ROOTINO] = (struct inostat){ .state = DSTATE, .dt = DT_DIR, .found = 1, .nlink = 2,
	    .size = DIRBLKSIZ };
}

void
pass2(void)
{
	uint32_t ino;

	switch (inostat[UFS_ROOTINO].state) {
	case USTATE:
		pfatal("ROOT INODE UNALLOCATED");
		if (reply("ALLOCATE") == 0)
			errexit("\n");
		reallocroot();
		break;
	case DCLEAR:
		pfatal("DUPS/BAD IN ROOT INODE");
		if (reply("REALLOCATE") == 1) {
			reallocroot();
			break;
		}
		if (reply("CONTINUE") == 0)
			errexit("\n");
		inostat[UFS_ROOTINO].state = DSTATE;
		break;
	case FSTATE:
	case FCLEAR:
		pfatal("ROOT INODE NOT DIRECTORY");
		if (reply("REALLOCATE") == 0)
			errexit("\n");
		reallocroot();
		break;
	}
	/* The root has no name: any entry naming it is an extra hard link. */
	inostat[UFS_ROOTINO].parent = UFS_ROOTINO;
	for (ino = UFS_ROOTINO; ino < maxino; ino++)
		if (inostat[ino].state == DSTATE)
			checkdir(ino);
	/* ".." entries are references to what they name. */
	for (ino = UFS_ROOTINO; ino < maxino; ino++) {
		uint32_t dd = inostat[ino].dotdot;

		if (inostat[ino].state == DSTATE && dd >= UFS_ROOTINO && dd < maxino &&
		    inostat[dd].state != USTATE)
			inostat[dd].refs++;
	}
}
