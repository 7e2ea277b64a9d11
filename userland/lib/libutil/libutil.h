/*
 * libutil: the few BSD library routines glibc 2.36 lacks, shared by the
 * programs of the world.  err(3), warn(3), getopt(3), reallocarray(3) and
 * friends come from glibc itself.
 *
 * Note for getopt(3): glibc's permutes argv ("ls dir -l" would take -l as
 * an option); BSD's stops at the first operand.  The world's programs
 * start their option strings with "+", which asks glibc for BSD's rule.
 */
#ifndef _LIBUTIL_H_
#define _LIBUTIL_H_

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* string(3) */
size_t	strlcpy(char *, const char *, size_t);
size_t	strlcat(char *, const char *, size_t);
void	strmode(mode_t, char *);

/* strtonum(3): a bounded strtoll with a message instead of errno juggling. */
long long strtonum(const char *, long long, long long, const char **);

/* humanize_number(3) */
#define HN_DECIMAL		0x01
#define HN_NOSPACE		0x02
#define HN_B			0x04
#define HN_DIVISOR_1000		0x08
#define HN_IEC_PREFIXES		0x10
#define HN_GETSCALE		0x10
#define HN_AUTOSCALE		0x20
int	humanize_number(char *, size_t, int64_t, const char *, int, int);

/* getbsize(3): the BLOCKSIZE environment variable, for du and df. */
char	*getbsize(int *, long *);

/* setmode(3), getmode(3): symbolic and octal chmod(1) modes. */
void	*setmode(const char *);
mode_t	 getmode(const void *, mode_t);

/* Cached passwd/group lookups, as ls(1) wants them (NULL when unknown and nouser). */
const char *user_from_uid(uid_t, int);
const char *group_from_gid(gid_t, int);

/* getprogname(3), setprogname(3) over glibc's program_invocation_short_name. */
const char *getprogname(void);
void	setprogname(const char *);

/* Format and parse sizes: "10k", "2m", "1g" (dd, split, head -c ...). */
int	expand_number(const char *, uint64_t *);

/* The -t type list of mount, umount and df: "ufs,cd9660" or "nonfs,procfs". */
int	vfs_selected(const char *type, const char *list);

/* inet_ifindex.c */
unsigned inet_ifindex(const char *);

/* termout.c: one buffered write per screen update */
void	tout(const char *, size_t);
void	touts(const char *);
void	tflush(void);
void	tdiscard(void);

#endif /* !_LIBUTIL_H_ */
