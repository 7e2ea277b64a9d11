/*
 * The vkernel's ktrace(2) interface: private system call 1002 and the
 * binary records the kernel appends to the trace file (kern_ktrace.ts).
 */
#ifndef _KTRACE_H_
#define _KTRACE_H_

#include <stdint.h>

#define SYS_ktrace	1002

#define KTROP_SET		0
#define KTROP_CLEAR		1
#define KTROP_CLEARFILE		2
#define KTROP(o)		((o) & 3)
#define KTRFLAG_DESCEND		4

#define KTR_SYSCALL	1
#define KTR_SYSRET	2
#define KTR_NAMEI	3
#define KTR_GENIO	4
#define KTR_PSIG	5

#define KTRFAC_SYSCALL	(1 << KTR_SYSCALL)
#define KTRFAC_SYSRET	(1 << KTR_SYSRET)
#define KTRFAC_NAMEI	(1 << KTR_NAMEI)
#define KTRFAC_GENIO	(1 << KTR_GENIO)
#define KTRFAC_PSIG	(1 << KTR_PSIG)
#define KTRFAC_INHERIT	0x40000000

#define ALL_POINTS	(KTRFAC_SYSCALL | KTRFAC_SYSRET | KTRFAC_NAMEI | \
			 KTRFAC_GENIO | KTRFAC_PSIG)
#define DEF_POINTS	ALL_POINTS

#define KTR_EJUSTRETURN	(-2)

struct ktr_header {
	uint32_t	ktr_len;	/* payload bytes after the header */
	int16_t		ktr_type;
	uint16_t	ktr_flags;
	int32_t		ktr_pid;
	int32_t		ktr_tid;
	int64_t		ktr_sec;
	int64_t		ktr_usec;
	char		ktr_comm[16];
};
_Static_assert(sizeof(struct ktr_header) == 48, "ktr_header is 48 bytes");

struct ktr_syscall {
	int32_t		ktr_code;
	int32_t		ktr_narg;
	uint64_t	ktr_args[];
};

struct ktr_sysret {
	int32_t		ktr_code;
	int32_t		ktr_error;
	int64_t		ktr_retval;
};

struct ktr_genio {
	int32_t		ktr_fd;
	int32_t		ktr_rw;		/* 0 read, 1 write; data follows */
};

struct ktr_psig {
	int32_t		signo;
	int32_t		code;
	uint64_t	action;
	uint64_t	mask;
};

int	getpoints(const char *);

#endif /* !_KTRACE_H_ */
