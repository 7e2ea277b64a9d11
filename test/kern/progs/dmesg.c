/* klogctl: the kernel message buffer holds the boot log (what dmesg prints). */
#include <stdio.h>
#include <string.h>
#include <sys/klog.h>
int main(void) {
	char buf[65536];
	int size = klogctl(10, 0, 0);
	int n = klogctl(3, buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	printf("size>0: %d read>0: %d has Mounting: %d has copyright: %d\n", size > 0, n > 0,
	    strstr(buf, "Mounting root from") != NULL, strstr(buf, "The DragonFly Project") != NULL);
	return 0;
}
