/*
 * fsck_ffs pass 3: every directory reachable from the root (the others
 * go to lost+found) with ".." naming its parent; pass 4: link counts
 * match the names found, unreferenced files are reconnected or cleared,
 * bad and duplicate-block inodes are cleared.
 */
#include <stdio.h>
#include <string.h>

#include "fsck.h"

/* Spread "found" from the root down the parent links until nothing changes. */
static void
propagate(void)
{
	uint32_t ino;
	int changed;

	inostat[UFS_ROOTINO].found = 1;
	do {
		changed = 0;
		for (ino = UFS_ROOTINO + 1; ino < maxino; ino++) {
			struct inostat *is = &inostat[ino];

			if (is->state != DSTATE || is->found || is->parent == 0 || is->parent >= maxino)
				continue;
			if (inostat[is->parent].found) {
				is->found = 1;
				changed = 1;
			}
		}
	} while (changed);
}

void
pass3(void)
{
	uint32_t ino, orphan, p;
	uint32_t steps;

	propagate();
	for (ino = UFS_ROOTINO + 1; ino < maxino; ino++) {
		if (inostat[ino].state != DSTATE || inostat[ino].found)
			continue;
		/* The top of the chain of unreachable parents (or a member of a loop). */
		orphan = ino;
		for (steps = 0; steps < maxino; steps++) {
			p = inostat[orphan].parent;
			if (p < UFS_ROOTINO || p >= maxino || inostat[p].state != DSTATE || inostat[p].found || p == ino)
				break;
			orphan = p;
		}
		if (linkup(orphan, inostat[orphan].dotdot))
			propagate();
	}
	for (ino = UFS_ROOTINO; ino < maxino; ino++) {
		struct inostat *is = &inostat[ino];
		uint32_t want = ino == UFS_ROOTINO ? UFS_ROOTINO : is->parent;

		if (is->state != DSTATE || !is->found || want == 0 || is->dotdot == want)
			continue;
		errname = "..";
		fileerror(want, ino, "BAD INODE NUMBER FOR '..'");
		errname = NULL;
		if (reply("FIX") == 0)
			continue;
		if (!changeino(ino, "..", want))
			continue;
		if (is->dotdot >= UFS_ROOTINO && is->dotdot < maxino && inostat[is->dotdot].state != USTATE)
			inostat[is->dotdot].refs--;
		inostat[want].refs++;
		is->dotdot = want;
	}
}

void
pass4(void)
{
	uint32_t ino;
	union dinode *dp;

	for (ino = UFS_ROOTINO; ino < maxino; ino++) {
		struct inostat *is = &inostat[ino];

		switch (is->state) {
		case FSTATE:
		case DSTATE:
			if (is->refs == 0) {
				if (!linkup(ino, is->state == DSTATE ? is->dotdot : 0)) {
					/* Not reconnected: cleared, or left as it is. */
					clri(ino, "UNREF", 0);
					break;
				}
			}
			if (is->refs == is->nlink)
				break;
			pwarn("LINK COUNT %s", is->state == DSTATE ? "DIR" : "FILE");
			pinode(ino);
			printf(" COUNT %d SHOULD BE %d", is->nlink, is->refs);
			if (preen) {
				if (is->refs > is->nlink) {
					printf("\n");
					pfatal("LINK COUNT INCREASING");
				}
				printf(" (ADJUSTED)\n");
			} else if (reply("ADJUST") == 0)
				break;
			dp = ginode(ino);
			DIP_SET(dp, di_nlink, is->refs);
			inodirty();
			is->nlink = (int16_t)is->refs;
			break;
		case FCLEAR:
		case DCLEAR:
			clri(ino, "BAD/DUP", 1);
			break;
		}
	}
}
