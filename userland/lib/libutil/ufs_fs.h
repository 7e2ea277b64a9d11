/*
 * The on-disk UFS1/UFS2 structures fsck_ffs and newfs use: struct fs,
 * struct cg, the two dinodes and struct direct, laid out as FreeBSD's
 * <ufs/ffs/fs.h> (the pointer fields of struct fs are opaque bytes here).
 * All block addresses are in fragments.
 */
#ifndef _LIBUTIL_UFS_FS_H_
#define _LIBUTIL_UFS_FS_H_

#include <stddef.h>
#include <stdint.h>

#define FS_UFS1_MAGIC	0x011954
#define FS_UFS2_MAGIC	0x19540119
#define CG_MAGIC	0x090255
#define SBLOCK_FLOPPY	0
#define SBLOCK_UFS1	8192
#define SBLOCK_UFS2	65536
#define SBLOCK_PIGGY	262144
#define SBLOCKSIZE	8192
#define DEV_BSIZE	512
#define MAXFRAG		8
#define MINBSIZE	4096
#define MAXBSIZE	65536
#define UFS_NDADDR	12
#define UFS_NIADDR	3
#define UFS_ROOTINO	2
#define UFS_MAXNAMLEN	255
#define FS_MAXCONTIG	16
#define FS_FLAGS_UPDATED 0x80
#define FS_44INODEFMT	2
#define FS_DYNAMICPOSTBLFMT 1
#define FS_ISCLEAN	1
#define DIRBLKSIZ	512
#define MAXMNTLEN	468
#define MAXVOLLEN	32

struct csum {
	int32_t	cs_ndir, cs_nbfree, cs_nifree, cs_nffree;
};

struct csum_total {
	int64_t	cs_ndir, cs_nbfree, cs_nifree, cs_nffree, cs_numclusters;
	int64_t	cs_spare[3];
};

struct fs {
	int32_t	 fs_firstfield, fs_unused_1;
	int32_t	 fs_sblkno, fs_cblkno, fs_iblkno, fs_dblkno;
	int32_t	 fs_old_cgoffset, fs_old_cgmask, fs_old_time, fs_old_size, fs_old_dsize;
	uint32_t fs_ncg;
	int32_t	 fs_bsize, fs_fsize, fs_frag, fs_minfree, fs_old_rotdelay, fs_old_rps;
	int32_t	 fs_bmask, fs_fmask, fs_bshift, fs_fshift, fs_maxcontig, fs_maxbpg;
	int32_t	 fs_fragshift, fs_fsbtodb, fs_sbsize, fs_spare1[2], fs_nindir;
	uint32_t fs_inopb;
	int32_t	 fs_old_nspf, fs_optim, fs_old_npsect, fs_old_interleave, fs_old_trackskew;
	int32_t	 fs_id[2], fs_old_csaddr, fs_cssize, fs_cgsize, fs_spare2;
	int32_t	 fs_old_nsect, fs_old_spc, fs_old_ncyl, fs_old_cpg;
	uint32_t fs_ipg;
	int32_t	 fs_fpg;
	struct	csum fs_old_cstotal;
	int8_t	 fs_fmod, fs_clean, fs_ronly, fs_old_flags;
	uint8_t	 fs_fsmnt[MAXMNTLEN];
	uint8_t	 fs_volname[MAXVOLLEN];
	uint64_t fs_swuid;
	int32_t	 fs_pad, fs_cgrotor;
	uint8_t	 fs_ptrs[128];		/* in-core pointers: meaningless on disk */
	int32_t	 fs_old_cpc, fs_maxbsize;
	int64_t	 fs_unrefs, fs_providersize, fs_metaspace, fs_sparecon64[13];
	int64_t	 fs_sblockactualloc, fs_sblockloc;
	struct	csum_total fs_cstotal;
	int64_t	 fs_time, fs_size, fs_dsize, fs_csaddr, fs_pendingblocks;
	uint32_t fs_pendinginodes, fs_snapinum[20], fs_avgfilesize, fs_avgfpdir;
	int32_t	 fs_save_cgsize;
	int64_t	 fs_mtime;
	int32_t	 fs_sujfree, fs_sparecon32[21];
	uint32_t fs_ckhash, fs_metackhash;
	int32_t	 fs_flags, fs_contigsumsize, fs_maxsymlinklen, fs_old_inodefmt;
	uint64_t fs_maxfilesize;
	int64_t	 fs_qbmask, fs_qfmask;
	int32_t	 fs_state, fs_old_postblformat, fs_old_nrpos, fs_spare5[2], fs_magic;
};

_Static_assert(offsetof(struct fs, fs_old_cstotal) == 192, "fs layout");
_Static_assert(offsetof(struct fs, fs_volname) == 680, "fs layout");
_Static_assert(offsetof(struct fs, fs_old_cpc) == 856, "fs layout");
_Static_assert(offsetof(struct fs, fs_sblockloc) == 1000, "fs layout");
_Static_assert(offsetof(struct fs, fs_cstotal) == 1008, "fs layout");
_Static_assert(offsetof(struct fs, fs_avgfilesize) == 1196, "fs layout");
_Static_assert(offsetof(struct fs, fs_flags) == 1312, "fs layout");
_Static_assert(offsetof(struct fs, fs_magic) == 1372, "fs layout");
_Static_assert(sizeof(struct fs) == 1376, "fs size");

struct cg {
	int32_t	 cg_firstfield, cg_magic, cg_old_time;
	uint32_t cg_cgx;
	int16_t	 cg_old_ncyl, cg_old_niblk;
	uint32_t cg_ndblk;
	struct	csum cg_cs;
	uint32_t cg_rotor, cg_frotor, cg_irotor, cg_frsum[MAXFRAG];
	int32_t	 cg_old_btotoff, cg_old_boff;
	uint32_t cg_iusedoff, cg_freeoff, cg_nextfreeoff, cg_clustersumoff, cg_clusteroff;
	uint32_t cg_nclusterblks, cg_niblk, cg_initediblk, cg_unrefs;
	int32_t	 cg_sparecon32[1];
	uint32_t cg_ckhash;
	int64_t	 cg_time, cg_sparecon64[3];
	uint8_t	 cg_space[];
};
#define CG_SPACE	168
_Static_assert(offsetof(struct cg, cg_space) == CG_SPACE, "cg layout");
_Static_assert(offsetof(struct cg, cg_time) == 136, "cg layout");

struct ufs1_dinode {
	uint16_t di_mode;
	int16_t	 di_nlink;
	uint16_t di_oldids[2];
	uint64_t di_size;
	int32_t	 di_atime, di_atimensec, di_mtime, di_mtimensec, di_ctime, di_ctimensec;
	int32_t	 di_db[UFS_NDADDR], di_ib[UFS_NIADDR];
	uint32_t di_flags;
	int32_t	 di_blocks, di_gen;
	uint32_t di_uid, di_gid;
	uint64_t di_modrev;
};
_Static_assert(sizeof(struct ufs1_dinode) == 128, "ufs1_dinode");

struct ufs2_dinode {
	uint16_t di_mode;
	int16_t	 di_nlink;
	uint32_t di_uid, di_gid, di_blksize;
	uint64_t di_size, di_blocks;
	int64_t	 di_atime, di_mtime, di_ctime, di_birthtime;
	int32_t	 di_mtimensec, di_atimensec, di_ctimensec, di_birthnsec;
	uint32_t di_gen, di_kernflags, di_flags, di_extsize;
	int64_t	 di_extb[2], di_db[UFS_NDADDR], di_ib[UFS_NIADDR];
	uint64_t di_modrev;
	uint32_t di_freelink, di_ckhash, di_spare[2];
};
_Static_assert(sizeof(struct ufs2_dinode) == 256, "ufs2_dinode");
_Static_assert(offsetof(struct ufs2_dinode, di_db) == 112, "ufs2_dinode");

union dinode {
	struct ufs1_dinode dp1;
	struct ufs2_dinode dp2;
};

struct direct {
	uint32_t d_ino;
	uint16_t d_reclen;
	uint8_t	 d_type;
	uint8_t	 d_namlen;
	char	 d_name[UFS_MAXNAMLEN + 1];
};
#define DIRSIZ(namlen)	((8 + (namlen) + 1 + 3) & ~3)

#define DT_UNKNOWN 0
#define DT_FIFO	1
#define DT_CHR	2
#define DT_DIR	4
#define DT_BLK	6
#define DT_REG	8
#define DT_LNK	10
#define DT_SOCK	12

#define IFMT	0170000
#define IFIFO	0010000
#define IFCHR	0020000
#define IFDIR	0040000
#define IFBLK	0060000
#define IFREG	0100000
#define IFLNK	0120000
#define IFSOCK	0140000
#define IFTODT(mode)	(((mode) & IFMT) >> 12)

/* Geometry (fs.h macros), all in fragments unless noted. */
#define cgbase(fs, c)	((int64_t)(fs)->fs_fpg * (c))
#define cgstart(fs, c)	((fs)->fs_magic == FS_UFS2_MAGIC ? cgbase(fs, c) : \
	cgbase(fs, c) + (int64_t)(fs)->fs_old_cgoffset * ((c) & ~(fs)->fs_old_cgmask))
#define cgsblock(fs, c)	(cgstart(fs, c) + (fs)->fs_sblkno)
#define cgtod(fs, c)	(cgstart(fs, c) + (fs)->fs_cblkno)
#define cgimin(fs, c)	(cgstart(fs, c) + (fs)->fs_iblkno)
#define cgdmin(fs, c)	(cgstart(fs, c) + (fs)->fs_dblkno)
#define dtog(fs, d)	((d) / (fs)->fs_fpg)
#define dtogd(fs, d)	((d) % (fs)->fs_fpg)
#define ino_to_cg(fs, i)	((i) / (fs)->fs_ipg)
#define blkoff(fs, loc)	((loc) & ((fs)->fs_bsize - 1))
#define lblkno(fs, loc)	((loc) >> (fs)->fs_bshift)
#define numfrags(fs, n)	(((n) + (fs)->fs_fsize - 1) >> (fs)->fs_fshift)
#define fragroundup(fs, n) (((n) + (fs)->fs_fsize - 1) & ~(int64_t)((fs)->fs_fsize - 1))
#define howmany(x, y)	(((x) + ((y) - 1)) / (y))
#define roundup(x, y)	(howmany(x, y) * (y))

#endif /* !_LIBUTIL_UFS_FS_H_ */
