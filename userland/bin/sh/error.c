/*
 * Errors unwind to the innermost handler with longjmp, as in every ash:
 * a syntax or expansion error aborts the current command, and in a
 * non-interactive shell the whole shell.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "shell.h"

struct jmploc *handler;
int exception;
const char *arg0 = "sh";
const char *commandname;

void
exraise(int e)
{
	exception = e;
	if (handler == NULL)
		exitshell(exitstatus);
	longjmp(handler->buf, 1);
}

static void
vwarn(const char *fmt, va_list ap)
{
	out_flush();
	fprintf(stderr, "%s: ", commandname ? commandname : arg0);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	fflush(stderr);
}

void
sh_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

/* Print a message and abort the current command with status 2. */
void
sh_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	exitstatus = 2;
	exraise(EXERROR);
}

void
out_flush(void)
{
	fflush(stdout);
}

/* Leave the shell: run the EXIT trap once, flush, and go. */
void
exitshell(int status)
{
	static int exiting;

	exitstatus = status;
	if (!exiting) {
		exiting = 1;
		exittrap();
	}
	out_flush();
	if (jobctl && rootshell)
		setjobctl(0);
	_exit(exitstatus);
}
