/* whoami: display the effective user name (or "whoami: no login associated with uid N"). */
#include <err.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	struct passwd *pw;
	uid_t uid;

	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "usage: whoami\n");
		exit(1);
	}
	uid = geteuid();
	if ((pw = getpwuid(uid)) == NULL)
		errx(1, "no login associated with uid %u", (unsigned)uid);
	printf("%s\n", pw->pw_name);
	return (0);
}
