/* sync: force completion of pending disk writes (flush the cache). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "usage: sync\n");
		exit(1);
	}
	sync();
	return (0);
}
