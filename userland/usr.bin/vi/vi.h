/*
 * vi: shared declarations of the screen editor's parts.
 *
 *   buf.c     the text (lines), file I/O, undo
 *   screen.c  the terminal: raw mode, keys, window size, redraw
 *   ex.c      ex commands (":"), searches, substitution
 *   vi.c      command mode, motions, operators, insert mode
 */
#ifndef _VI_H_
#define _VI_H_

#include <regex.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Keys beyond a byte: decoded terminal escape sequences. */
enum {
	K_UP = 0x100, K_DOWN, K_LEFT, K_RIGHT, K_HOME, K_END, K_PGUP, K_PGDN,
	K_DEL, K_INS, K_NONE
};
#undef CTRL
#define CTRL(c)	((c) & 0x1f)
#define ESC	0x1b

struct line {
	char	*s;		/* NUL-terminated, for regexec */
	size_t	 len;
};

struct pos {
	size_t	y, x;
};

/* buf.c */
extern struct line *L;
extern size_t nlines;
extern struct pos cur;
extern char *fname;
extern int readonly, wantnl, forcero;
extern unsigned long stateid, savedid;
#define MODIFIED()	(stateid != savedid)

void	 buf_init(void);
void	 buf_free(void);
int	 buf_load(const char *, char *, size_t);
int	 buf_write(const char *, size_t, size_t, int, int, char *, size_t);
int	 buf_readin(const char *, size_t, char *, size_t);
void	 line_set(size_t, const char *, size_t);
void	 line_insert(size_t, const char *, size_t);
void	 line_delete(size_t, size_t);
void	 text_insert(struct pos, const char *, size_t, struct pos *);
char	*text_get(struct pos, struct pos, size_t *);
void	 text_delete(struct pos, struct pos);
void	 undo_save(void);
void	 undo_begin(void);
int	 undo(void);
int	 redo(void);
void	*xmalloc(size_t);
void	*xrealloc(void *, size_t);
char	*xstrndup(const char *, size_t);

/* screen.c */
extern int rows, cols;
extern int numbers;
extern volatile int winched;
void	 term_init(void);
void	 term_raw(void);
void	 term_restore(void);
int	 getkey(void);
void	 ungetkey(int);
void	 replay_keys(const int *, size_t);
void	 record_start(int);
void	 record_stop(void);
const int *record_get(size_t *);
void	 refresh(int);
void	 msg(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 emsg(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 msg_clear(void);
void	 screen_resize(void);
void	 screen_invalidate(void);
char	*readline_bottom(int);
size_t	 textrows(void);
size_t	 lastvisible(void);
size_t	 display_col(size_t, size_t);
size_t	 col_to_byte(size_t, size_t);
void	 beep(void);
extern size_t top;
extern int insmode;

/* ex.c */
extern int lastdir;
extern char *lastpat;
int	 ex_command(const char *);
int	 search(const char *, int, struct pos, struct pos *, int);
int	 search_next(int, long, struct pos *);
void	 ex_done(void);

/* vi.c */
extern int done;
extern struct pos marks[26];
void	 reg_set(char *, size_t, int);
void	 first_nonblank(void);
size_t	 nonblank(size_t);
void	 status_line(char *, size_t);

#endif /* !_VI_H_ */
