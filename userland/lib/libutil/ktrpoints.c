/*
 * getpoints: the trace point letters of ktrace(1) and kdump(1) -t
 * ("cnis+") as KTRFAC_ bits, or -1 for a bad letter.
 */
#include "ktrace.h"

int
getpoints(const char *s)
{
	int facs = 0;

	if (*s == '\0')
		return (-1);
	for (; *s != '\0'; s++) {
		switch (*s) {
		case 'c':
			facs |= KTRFAC_SYSCALL | KTRFAC_SYSRET;
			break;
		case 'n':
			facs |= KTRFAC_NAMEI;
			break;
		case 'i':
			facs |= KTRFAC_GENIO;
			break;
		case 's':
			facs |= KTRFAC_PSIG;
			break;
		case '+':
			facs |= DEF_POINTS;
			break;
		default:
			return (-1);
		}
	}
	return (facs);
}
