/*
 * sysctl(3), sysctlbyname(3) and kenv(2) over the vkernel's private system
 * calls (riscv64 Linux has neither), and the kernel structures they return:
 * struct kinfo_proc (ours, 256 bytes), struct loadavg, struct clockinfo.
 * See docs/architecture.md, "sysctl" and "kenv".
 */
#ifndef _LIBUTIL_SYSCTL_H_
#define _LIBUTIL_SYSCTL_H_

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define SYS___sysctl	1000
#define SYS_kenv	1001

#define CTL_MAXNAME	24

#define CTLTYPE		0xf
#define CTLTYPE_NODE	1
#define CTLTYPE_INT	2
#define CTLTYPE_STRING	3
#define CTLTYPE_S64	4
#define CTLTYPE_OPAQUE	5
#define CTLTYPE_STRUCT	CTLTYPE_OPAQUE
#define CTLTYPE_UINT	6
#define CTLTYPE_LONG	7
#define CTLTYPE_ULONG	8
#define CTLTYPE_U64	9
#define CTLFLAG_RD	0x80000000u
#define CTLFLAG_WR	0x40000000u
#define CTLFLAG_ANYBODY	0x10000000u

#define CTL_KERN	1
#define CTL_VM		2
#define CTL_HW		6
#define KERN_PROC	14
#define KERN_PROC_ALL	0
#define KERN_PROC_PID	1
#define KERN_PROC_ARGS	7

#define KENV_GET	0
#define KENV_SET	1
#define KENV_UNSET	2
#define KENV_DUMP	3
#define KENV_MNAMELEN	128
#define KENV_MVALLEN	128

/* kp_stat */
#define SIDL	1
#define SRUN	2
#define SSLEEP	3
#define SSTOP	4
#define SZOMB	5
/* kp_flags */
#define KPF_SESSLEADER	1
#define KPF_CONTROLT	2
#define KPF_EXITING	4
#define KPF_PPWAIT	8

struct kinfo_proc {
	int32_t		kp_structsize;
	int32_t		kp_pid;
	int32_t		kp_ppid;
	int32_t		kp_pgid;
	int32_t		kp_sid;
	int32_t		kp_tpgid;
	uint32_t	kp_tdev;
	uint32_t	kp_ruid;
	uint32_t	kp_uid;
	uint32_t	kp_svuid;
	uint32_t	kp_rgid;
	uint32_t	kp_gid;
	uint32_t	kp_svgid;
	int32_t		kp_stat;
	int32_t		kp_flags;
	int32_t		kp_nthreads;
	int32_t		kp_nice;
	int32_t		kp_xstat;
	int64_t		kp_start_us;
	int64_t		kp_utime_us;
	int64_t		kp_stime_us;
	uint64_t	kp_vsize;
	uint64_t	kp_rss;
	uint64_t	kp_siglist;
	uint64_t	kp_sigignore;
	uint64_t	kp_sigcatch;
	char		kp_wmesg[16];
	char		kp_ttyname[16];
	char		kp_comm[32];
	uint64_t	kp_instret;
	int32_t		kp_tid;
	char		kp_reserved[44];
};
_Static_assert(sizeof(struct kinfo_proc) == 256, "struct kinfo_proc is 256 bytes");

struct loadavg {
	uint32_t	ldavg[3];
	uint32_t	pad;
	long		fscale;
};

struct clockinfo {
	int	hz;
	int	tick;
	int	tickadj;
	int	stathz;
	int	profhz;
};

int	sysctl(const int *, unsigned int, void *, size_t *, const void *, size_t);
int	sysctlbyname(const char *, void *, size_t *, const void *, size_t);
int	sysctlnametomib(const char *, int *, size_t *);
int	kenv(int, const char *, char *, int);

/* kern.cp_time: ticks per CPU state. */
#define CPUSTATES	5
#define CP_USER		0
#define CP_NICE		1
#define CP_SYS		2
#define CP_INTR		3
#define CP_IDLE		4

/* kern.devstat.all: one per vkd/vcd unit (kernel/dev/disk/subr_devstat.ts). */
struct devstat {
	char		ds_name[16];
	uint64_t	ds_reads, ds_writes, ds_bytes_read, ds_bytes_written;
	uint64_t	ds_busy_us, ds_read_us, ds_write_us;
	uint32_t	ds_inflight, ds_secsize;
};

/* stats.c: what top, vmstat and iostat read; each exits with err(3) on failure. */
void	sysctl_get(const char *, void *, size_t);
unsigned int sysctl_getuint(const char *);
double	sysctl_uptime(void);
struct devstat *devstat_getall(int *);

/* kinfo.c: the process table and the uptime line of ps, w and uptime. */
struct kinfo_proc *kinfo_getallproc(size_t *);
int	kinfo_is_login(const struct kinfo_proc *);
void	pr_uptime_header(time_t, int, int);

#endif /* !_LIBUTIL_SYSCTL_H_ */
