/*
 * fsck_ffs: shared state of the passes.
 */
#ifndef FSCK_H
#define FSCK_H

#include <stdint.h>
#include <sys/types.h>
#include "ufs_fs.h"

/* Inode states (BSD's USTATE ... DCLEAR). */
#define USTATE	0	/* unallocated */
#define FSTATE	1	/* allocated file */
#define DSTATE	2	/* allocated directory */
#define FCLEAR	3	/* file to be cleared (bad or duplicate blocks) */
#define DCLEAR	4	/* directory to be cleared */

struct inostat {
	uint8_t	 state;
	uint8_t	 dt;		/* d_type the inode's mode calls for */
	uint8_t	 found;		/* directory reached from the root (pass 3) */
	int16_t	 nlink;		/* di_nlink on disk */
	int32_t	 refs;		/* names found in pass 2 */
	uint32_t parent;	/* directory whose entry names this directory */
	uint32_t dotdot;	/* what its ".." says */
	int64_t	 size;		/* di_size */
};

/* Exit codes (BSD fsck). */
#define FSCK_EXIT_OK		0
#define FSCK_EXIT_USAGE		8
#define FSCK_EXIT_ROOTCHANGED	4
#define FSCK_EXIT_UNRESOLVED	8
#define FSCK_EXIT_CHECK_FAILED	8

extern struct fs *sblock;
extern int is_ufs2;
extern const char *cdevname;
extern int fsreadfd, fswritefd;
extern off_t partoff;		/* byte offset of the file system in the file */
extern int preen, yflag, nflag, fflag, debug, bflag;
extern int fsmodified, inomodified, resolved, hotroot, ronly_mount;
extern uint32_t maxino;
extern int64_t maxfsblock;
extern struct inostat *inostat;
extern uint8_t *blockmap;
extern int64_t *duplist;
extern size_t nduplist;
extern uint32_t lfdir;
extern uint32_t *cginited;	/* per group: inodes initialized on disk (UFS2) */
extern const char *errname;	/* the directory entry being checked */
extern int64_t n_files, n_blks;

#define DIP(dp, f)	(is_ufs2 ? (int64_t)(dp)->dp2.f : (int64_t)(dp)->dp1.f)
#define DIP_SET(dp, f, v) do { if (is_ufs2) (dp)->dp2.f = (v); else (dp)->dp1.f = (v); } while (0)
#define DINODE_SIZE	(is_ufs2 ? 256 : 128)

#define setbmap(b)	(blockmap[(b) >> 3] |= 1 << ((b) & 7))
#define testbmap(b)	(blockmap[(b) >> 3] & (1 << ((b) & 7)))
#define clrbmap(b)	(blockmap[(b) >> 3] &= ~(1 << ((b) & 7)))

/* utilities.c */
void	pfatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	pwarn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int	reply(const char *question);
void	ckfini(int markclean);
int	blread(void *buf, int64_t frag, size_t size);
void	blwrite(const void *buf, int64_t frag, size_t size);
int	rawread(void *buf, off_t off, size_t size);
void	rawwrite(const void *buf, off_t off, size_t size);
void	pinode(uint32_t ino);
void	fileerror(uint32_t cwd, uint32_t ino, const char *errmesg);
void	direrror(uint32_t ino, const char *errmesg);
void	errexit(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void	getpathname(char *buf, size_t len, uint32_t ino);

/* setup.c */
int	setup(const char *dev);
void	sbwrite(void);
void	markclean(void);

/* inode.c */
union dinode *ginode(uint32_t ino);
void	inodirty(void);
void	inoflush(void);
void	clri(uint32_t ino, const char *type, int flag);
#define KEEPON	0
#define SKIP	1
#define STOP	2
#define ALTERED	4
typedef int (*blkfn)(uint32_t ino, int64_t frag, int nfrags, int pasteof, void *arg);
int	ckinode(uint32_t ino, union dinode *dp, blkfn fn, void *arg);
int64_t	bmap(union dinode *dp, int64_t lbn);
int64_t	blksize_of(int64_t size, int64_t lbn);
int	chkrange(int64_t frag, int cnt);
int	ismeta(int64_t frag);
int64_t	allocblk(int frags);
uint32_t allocino(int mode);
void	freeino(uint32_t ino);
int	dirscan(uint32_t ino, int (*fn)(uint32_t dir, struct direct *dp, int entryno, void *arg), void *arg);
int	makeentry(uint32_t parent, uint32_t ino, const char *name);
int	changeino(uint32_t dir, const char *name, uint32_t newnum);
int	linkup(uint32_t orphan, uint32_t parentdir);
uint32_t allocdir(uint32_t parent, int mode);
int	writedir(uint32_t ino, uint32_t parent, int mode);
int	isdot(const struct direct *dp);
int	isdotdot(const struct direct *dp);

/* passes */
void	pass1(void);
void	pass1b(void);
void	pass2(void);
void	pass3(void);
void	pass4(void);
void	pass5(void);

#endif
