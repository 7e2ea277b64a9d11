/*
 * /etc/ttys, one line at a time, as BSD's getttyent(3) reads it:
 *
 *	name	"getty command"	type	on|off [secure] [window="cmd"] [group=name]
 *
 * Fields are blank-separated; double quotes protect blanks (\" inside them
 * is a quote); '#' outside quotes starts a comment.  A line with only a
 * name has no getty.  glibc has a getttyent() of its own, hence the names.
 */
#ifndef _TTYS_H_
#define _TTYS_H_

#define _PATH_TTYS	"/etc/ttys"

#define TTY_ON		0x01	/* a getty runs there */
#define TTY_SECURE	0x02	/* root may log in */

struct ttyline {
	char	*ty_name;	/* the device under /dev */
	char	*ty_getty;	/* the command, or NULL */
	char	*ty_type;	/* the terminal type (TERM), or NULL */
	int	 ty_status;	/* TTY_ON, TTY_SECURE */
	char	*ty_window;	/* window="..." (kept, unused) */
	char	*ty_group;	/* group=... (kept, unused) */
	char	*ty_comment;	/* what followed '#', or NULL */
};

int		 ttys_open(void);
struct ttyline	*ttys_next(void);
void		 ttys_close(void);

#endif /* !_TTYS_H_ */
