/*
 * disklabel: print a disk's BSD label.  DragonFly's disklabel64 (byte
 * offsets, the one its vkernel images carry) and the classic 32-bit
 * disklabel are both read; installed also as disklabel64.  The disk is
 * a device ("vkd0", "/dev/vkd0s1") or an image file.  Without an MBR the
 * label sits at the start of the disk (DragonFly's compatibility slice
 * s0); with one, a whole-disk operand shows the label of the first slice
 * that has one.  -w writes a disklabel64 whose partition 'a' fills the
 * disk, -R one with the partitions of a protofile in the printed form.
 */
#include <sys/stat.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "libutil.h"

#define DISKMAGIC64	0xc4464c59u
#define DISKMAGIC32	0x82564557u
#define L64_PARTS	712
#define P64SIZE		64
#define MAXPART64	16
#define L32_PARTS	148

static const char *const fstypenames[] = {
	"unused", "swap", "Version 6", "Version 7", "System V", "4.1BSD", "Eighth Edition",
	"4.2BSD", "MSDOS", "4.4LFS", "unknown", "HPFS", "ISO9660", "boot", "ADOS", "HFS",
	"FILECORE", "ext2fs", "NTFS", "?", "ccd", "jfs", "HAMMER", "HAMMER2", "UDF",
};
#define NFSTYPES (int)(sizeof(fstypenames) / sizeof(fstypenames[0]))

static int fd;
static const char *dkname;

static void
usage(void)
{
	fprintf(stderr, "usage: %s [-r] disk\n", getprogname());
	fprintf(stderr, "       %s -w [-r] disk [type]\n", getprogname());
	fprintf(stderr, "       %s -R [-r] disk protofile\n", getprogname());
	exit(1);
}

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t le32(const uint8_t *p) { return (p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24); }
static uint64_t le64(const uint8_t *p) { return (le32(p) | (uint64_t)le32(p + 4) << 32); }

static uint32_t
crc32(const uint8_t *buf, size_t len)
{
	uint32_t c = 0xffffffffu;
	size_t i;
	int k;

	for (i = 0; i < len; i++) {
		c ^= buf[i];
		for (k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
	}
	return (c ^ 0xffffffffu);
}

static const char *
fstypename(int t)
{
	static char buf[16];

	if (t >= 0 && t < NFSTYPES)
		return (fstypenames[t]);
	snprintf(buf, sizeof(buf), "%d", t);
	return (buf);
}

/* struct uuid as DragonFly prints it: time fields are little-endian integers. */
static void
pruuid(const uint8_t *u)
{
	printf("%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", le32(u), le16(u + 4), le16(u + 6),
	    u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}

static int
isnil(const uint8_t *u)
{
	int i;

	for (i = 0; i < 16; i++)
		if (u[i])
			return (0);
	return (1);
}

static void
print64(const uint8_t *buf, uint64_t slicesize)
{
	uint32_t npart = le32(buf + 524), crc, i;
	uint64_t total = le64(buf + 544), bbase = le64(buf + 552), pbase = le64(buf + 560);
	uint64_t pstop = le64(buf + 568), abase = le64(buf + 576);
	uint8_t copy[L64_PARTS + 2 * MAXPART64 * P64SIZE];
	size_t len;
	int n;

	if (npart > 2 * MAXPART64)
		npart = 2 * MAXPART64;
	len = L64_PARTS + npart * P64SIZE - 512;
	memcpy(copy, buf + 512, len);
	memset(copy + 4, 0, 4);
	crc = crc32(copy, len);
	if (crc != le32(buf + 516))
		warnx("%s: disklabel64 has a bad checksum", dkname);
	(void)slicesize;
	printf("# %s:\n#\n", dkname);
	printf("# Calculated informational fields for the slice:\n#\n");
	printf("# boot space: %10ju bytes\n", (uintmax_t)(pbase - bbase));
	printf("# data space: %10ju blocks\t# %.2f MB (%ju bytes)\n", (uintmax_t)((pstop - pbase) / 1024),
	    (double)(pstop - pbase) / 1024 / 1024, (uintmax_t)(pstop - pbase));
	printf("#\n# NOTE: If the partition data base looks odd it may be\n");
	printf("#       physically aligned instead of slice-aligned\n#\n");
	printf("diskid: ");
	pruuid(buf + 528);
	printf("\nlabel: %.*s\n", 64, (const char *)buf + 584);
	printf("boot2 data base:      0x%012jx\n", (uintmax_t)bbase);
	printf("partitions data base: 0x%012jx\n", (uintmax_t)pbase);
	printf("partitions data stop: 0x%012jx\n", (uintmax_t)pstop);
	printf("backup label:         0x%012jx\n", (uintmax_t)abase);
	printf("total size:           0x%012jx\t# %.2f MB\n", (uintmax_t)total, (double)total / 1024 / 1024);
	printf("alignment: %u\n", le32(buf + 520));
	printf("display block size: 1024\t# for partition display only\n\n");
	printf("%u partitions:\n", npart);
	printf("#          size     offset    fstype   fsuuid\n");
	for (i = 0; i < npart; i++) {
		const uint8_t *p = buf + L64_PARTS + i * P64SIZE;
		uint64_t off = le64(p), size = le64(p + 8);

		if (size == 0)
			continue;
		n = printf("  %c: %10ju %10ju %9s", 'a' + i, (uintmax_t)(size / 1024),
		    (uintmax_t)((off - pbase) / 1024), fstypename(p[16]));
		(void)n;
		printf("\t# %11.3fMB\n", (double)size / 1024 / 1024);
		if (!isnil(p + 48)) {
			printf("  %c-stor_uuid: ", 'a' + i);
			pruuid(p + 48);
			printf("\n");
		}
	}
}

static void
print32(const uint8_t *l)
{
	uint16_t npart = le16(l + 138), sum = 0, i;
	uint32_t secsize = le32(l + 40);

	if (npart > 16)
		npart = 16;
	for (i = 0; i < L32_PARTS + 16 * npart; i += 2)
		if (i != 136)
			sum ^= le16(l + i);
	if (sum != le16(l + 136))
		warnx("%s: disklabel has a bad checksum", dkname);
	printf("# %s:\n", dkname);
	printf("type: %s\n", le16(l + 4) == 0 ? "unknown" : le16(l + 4) == 4 ? "SCSI" : "ESDI");
	printf("disk: %.16s\n", (const char *)l + 8);
	printf("label: %.16s\n", (const char *)l + 24);
	printf("flags:\n");
	printf("bytes/sector: %u\n", secsize);
	printf("sectors/track: %u\n", le32(l + 44));
	printf("tracks/cylinder: %u\n", le32(l + 48));
	printf("sectors/cylinder: %u\n", le32(l + 56));
	printf("cylinders: %u\n", le32(l + 52));
	printf("sectors/unit: %u\n", le32(l + 60));
	printf("rpm: %u\n", le16(l + 72));
	printf("interleave: %u\n", le16(l + 74));
	printf("trackskew: %u\n", le16(l + 76));
	printf("cylinderskew: %u\n", le16(l + 78));
	printf("headswitch: %u\t\t# milliseconds\n", le32(l + 80));
	printf("track-to-track seek: %u\t# milliseconds\n", le32(l + 84));
	printf("drivedata: 0 \n\n");
	printf("%u partitions:\n", npart);
	printf("#          size     offset    fstype   [fsize bsize bps/cpg]\n");
	for (i = 0; i < npart; i++) {
		const uint8_t *p = l + L32_PARTS + 16 * i;
		uint32_t size = le32(p), off = le32(p + 4), fsize = le32(p + 8);

		if (size == 0)
			continue;
		printf("  %c: %8u %10u %9s", 'a' + i, size, off, fstypename(p[12]));
		if (p[12] == 7)
			printf("    %5u %5u %5u ", fsize, fsize * p[13], le16(p + 14));
		if (i == 2)
			printf("\t# \"raw\" part, don't edit");
		printf("\n");
	}
}

/* The label of the slice at byte offset base: 1 if one was printed. */
static int
printlabel(off_t base, uint64_t size)
{
	uint8_t buf[L64_PARTS + 2 * MAXPART64 * P64SIZE];

	if (pread(fd, buf, sizeof(buf), base) != (ssize_t)sizeof(buf))
		return (0);
	if (le32(buf + 512) == DISKMAGIC64) {
		print64(buf, size);
		return (1);
	}
	if (le32(buf + 512) == DISKMAGIC32 && le32(buf + 512 + 132) == DISKMAGIC32) {
		print32(buf + 512);
		return (1);
	}
	return (0);
}


/* ---- writing a disklabel64 ---- */

#define ALIGN64		(1 << 20)

struct wpart {
	uint64_t off, size;	/* bytes, from the partition data base */
	int	 fstype;
	int	 used;
};

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static void
put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* A random (version 4) UUID, for the disk and each partition's storage. */
static void
newuuid(uint8_t *u)
{
	FILE *f = fopen("/dev/urandom", "r");
	size_t i;

	if (f == NULL || fread(u, 1, 16, f) != 16) {
		for (i = 0; i < 16; i++)
			u[i] = (uint8_t)(rand() >> 7);
	}
	if (f != NULL)
		fclose(f);
	u[7] = (u[7] & 0x0f) | 0x40;
	u[8] = (u[8] & 0x3f) | 0x80;
}

/* DragonFly's type UUID of UFS partitions, 9d94ce7c-1ca5-11dc-8817-01301bb8a9f5, as struct uuid bytes. */
static const uint8_t uuid_dfly_ufs1[16] = {
	0x7c, 0xce, 0x94, 0x9d, 0xa5, 0x1c, 0xdc, 0x11, 0x88, 0x17, 0x01, 0x30, 0x1b, 0xb8, 0xa9, 0xf5,
};

static int
fstypenum(const char *name)
{
	int i;

	for (i = 0; i < NFSTYPES; i++)
		if (strcasecmp(name, fstypenames[i]) == 0)
			return (i);
	if (strcasecmp(name, "ufs") == 0 || strcasecmp(name, "ffs") == 0)
		return (7);
	return (-1);
}

/* Write the label for a slice of size bytes at the start of the disk. */
static void
writelabel(uint64_t size, struct wpart *parts, const char *packname)
{
	uint8_t buf[2048];
	uint64_t pbase = ALIGN64, pstop = size / 4096 * 4096;
	int i;

	if (pstop <= pbase)
		errx(1, "%s: %ju bytes is too small for a disklabel64", dkname, (uintmax_t)size);
	/* Sector 0 stays as it is (d_reserved0: a boot sector's place). */
	if (pread(fd, buf, sizeof(buf), 0) != (ssize_t)sizeof(buf))
		err(4, "%s: read", dkname);
	memset(buf + 512, 0, sizeof(buf) - 512);
	put32(buf + 512, DISKMAGIC64);
	put32(buf + 520, ALIGN64);
	put32(buf + 524, MAXPART64);
	newuuid(buf + 528);
	put64(buf + 544, size);
	put64(buf + 552, 4096);
	put64(buf + 560, pbase);
	put64(buf + 568, pstop);
	strncpy((char *)buf + 584, packname, 63);
	for (i = 0; i < MAXPART64; i++) {
		uint8_t *p = buf + L64_PARTS + i * P64SIZE;

		if (!parts[i].used)
			continue;
		if (parts[i].size == 0)
			parts[i].size = pstop - pbase - parts[i].off;
		if (parts[i].off % 4096 || parts[i].size % 4096 || parts[i].off + parts[i].size > pstop - pbase)
			errx(1, "partition %c: %ju bytes at %ju do not fit 4096-byte aligned in the %ju bytes of the disk",
			    'a' + i, (uintmax_t)parts[i].size, (uintmax_t)parts[i].off, (uintmax_t)(pstop - pbase));
		put64(p, pbase + parts[i].off);
		put64(p + 8, parts[i].size);
		p[16] = (uint8_t)parts[i].fstype;
		if (parts[i].fstype == 7)
			memcpy(p + 32, uuid_dfly_ufs1, 16);
		newuuid(p + 48);
	}
	put32(buf + 516, crc32(buf + 512, L64_PARTS + MAXPART64 * P64SIZE - 512));
	if (pwrite(fd, buf, sizeof(buf), 0) != (ssize_t)sizeof(buf))
		err(4, "%s: write", dkname);
	if (fsync(fd) != 0 && errno != EINVAL)
		err(4, "%s: fsync", dkname);
}

/*
 * A protofile in the printed form: "label: name" and partition lines
 * "  a: size offset fstype" in 1024-byte blocks from the partition data
 * base ("*" for the size: the rest of the disk).  Other lines are ignored.
 */
static const char *
readproto(const char *path, struct wpart *parts)
{
	static char packname[64] = "vkernel";
	char line[512], szs[64], offs[64], type[64];
	FILE *f;
	char c;
	int n = 0;

	if ((f = fopen(path, "r")) == NULL)
		err(1, "%s", path);
	while (fgets(line, sizeof(line), f) != NULL) {
		char *h = strchr(line, '#');

		if (h != NULL)
			*h = '\0';
		if (sscanf(line, " label: %63s", packname) == 1)
			continue;
		if (sscanf(line, " %c: %63s %63s %63s", &c, szs, offs, type) != 4 || c < 'a' || c >= 'a' + MAXPART64)
			continue;
		struct wpart *p = &parts[c - 'a'];
		char *end;

		p->used = 1;
		p->size = strcmp(szs, "*") == 0 ? 0 : strtoull(szs, &end, 10) * 1024;
		if (strcmp(szs, "*") != 0 && (*end != '\0' || p->size == 0))
			errx(1, "%s: partition %c: bad size %s", path, c, szs);
		p->off = strtoull(offs, &end, 10) * 1024;
		if (*end != '\0')
			errx(1, "%s: partition %c: bad offset %s", path, c, offs);
		if ((p->fstype = fstypenum(type)) < 0)
			errx(1, "%s: partition %c: unknown fstype %s", path, c, type);
		n++;
	}
	fclose(f);
	if (n == 0)
		errx(1, "%s: no partitions", path);
	return (packname);
}

int
main(int argc, char *argv[])
{
	char path[256];
	struct stat st;
	uint8_t mbr[512];
	struct wpart parts[MAXPART64];
	const char *packname = "vkernel";
	off_t size;
	int ch, i, wflag = 0, Rflag = 0;

	while ((ch = getopt(argc, argv, "+rRw")) != -1) {
		switch (ch) {
		case 'r':	/* always read from the disk */
			break;
		case 'R':
			Rflag = 1;
			break;
		case 'w':
			wflag = 1;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if ((wflag && Rflag) || argc < 1 || (Rflag && argc != 2) || (wflag && argc > 2) || (!wflag && !Rflag && argc != 1))
		usage();
	if (strchr(argv[0], '/') == NULL && stat(argv[0], &st) != 0)
		snprintf(path, sizeof(path), "/dev/%s", argv[0]);
	else
		snprintf(path, sizeof(path), "%s", argv[0]);
	dkname = path;
	if ((fd = open(path, wflag || Rflag ? O_RDWR : O_RDONLY)) < 0)
		err(4, "%s", path);
	if (fstat(fd, &st) != 0)
		err(4, "%s", path);
	size = S_ISREG(st.st_mode) ? st.st_size : lseek(fd, 0, SEEK_END);
	if (pread(fd, mbr, sizeof(mbr), 0) != (ssize_t)sizeof(mbr))
		errx(4, "%s: cannot read the first sector", path);
	if (wflag || Rflag) {
		if (mbr[510] == 0x55 && mbr[511] == 0xaa)
			errx(1, "%s: has an MBR: label a slice (%ss1) instead", path, path);
		memset(parts, 0, sizeof(parts));
		if (Rflag)
			packname = readproto(argv[1], parts);
		else {
			parts[0].used = 1;
			parts[0].fstype = 7;
			if (argc == 2)
				packname = argv[1];
		}
		writelabel((uint64_t)size, parts, packname);
		return (0);
	}
	if (printlabel(0, (uint64_t)size))
		return (0);
	if (mbr[510] == 0x55 && mbr[511] == 0xaa) {
		for (i = 0; i < 4; i++) {
			const uint8_t *e = mbr + 446 + 16 * i;

			if (e[4] == 0 || le32(e + 12) == 0)
				continue;
			printf("# slice %d (MBR type 0x%02x):\n", i + 1, e[4]);
			if (printlabel((off_t)le32(e + 8) * 512, (uint64_t)le32(e + 12) * 512))
				return (0);
		}
	}
	errx(4, "%s: no disk label", path);
}
