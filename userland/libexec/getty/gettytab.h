/*
 * The gettytab capabilities this getty understands (NULL or -1: unset).
 */
#ifndef _GETTYTAB_H_
#define _GETTYTAB_H_

#define _PATH_GETTYTAB	"/etc/gettytab"

struct gettytab {
	char	*im;		/* initial message (banner), with %-escapes */
	char	*lm;		/* login prompt */
	char	*lo;		/* login program */
	char	*al;		/* user to log in automatically */
	char	*tt;		/* terminal type (TERM) */
	char	*ifile;		/* an issue file printed after im */
	char	*er;		/* erase character */
	char	*kl;		/* kill (line erase) character */
	char	*it;		/* interrupt character */
	int	 np;		/* no parity: 8-bit characters */
};

int	gettytab_read(const char *, const char *, struct gettytab *);

#endif /* !_GETTYTAB_H_ */
