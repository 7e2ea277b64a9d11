/* strmode(3): "drwxr-xr-x " from a mode, as ls -l prints it (11 chars + NUL). */
#include <sys/stat.h>
#include "libutil.h"

void
strmode(mode_t mode, char *p)
{
	switch (mode & S_IFMT) {
	case S_IFDIR:	*p++ = 'd'; break;
	case S_IFCHR:	*p++ = 'c'; break;
	case S_IFBLK:	*p++ = 'b'; break;
	case S_IFREG:	*p++ = '-'; break;
	case S_IFLNK:	*p++ = 'l'; break;
	case S_IFSOCK:	*p++ = 's'; break;
	case S_IFIFO:	*p++ = 'p'; break;
	default:	*p++ = '?'; break;
	}
	*p++ = (mode & S_IRUSR) ? 'r' : '-';
	*p++ = (mode & S_IWUSR) ? 'w' : '-';
	switch (mode & (S_IXUSR | S_ISUID)) {
	case 0:			*p++ = '-'; break;
	case S_IXUSR:		*p++ = 'x'; break;
	case S_ISUID:		*p++ = 'S'; break;
	default:		*p++ = 's'; break;
	}
	*p++ = (mode & S_IRGRP) ? 'r' : '-';
	*p++ = (mode & S_IWGRP) ? 'w' : '-';
	switch (mode & (S_IXGRP | S_ISGID)) {
	case 0:			*p++ = '-'; break;
	case S_IXGRP:		*p++ = 'x'; break;
	case S_ISGID:		*p++ = 'S'; break;
	default:		*p++ = 's'; break;
	}
	*p++ = (mode & S_IROTH) ? 'r' : '-';
	*p++ = (mode & S_IWOTH) ? 'w' : '-';
	switch (mode & (S_IXOTH | S_ISVTX)) {
	case 0:			*p++ = '-'; break;
	case S_IXOTH:		*p++ = 'x'; break;
	case S_ISVTX:		*p++ = 'T'; break;
	default:		*p++ = 't'; break;
	}
	*p++ = ' ';
	*p = '\0';
}
