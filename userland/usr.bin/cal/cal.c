/*
 * cal: display a calendar.  "cal" is this month, "cal 2026" a year in
 * rows of three months, "cal 11 2026" one month; -y this year, -3 the
 * months around this one, -j day-of-year numbers.  Weeks start on Sunday.
 * The proleptic Gregorian calendar is used throughout (no 1752 switch).
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static const char *const months[12] = { "January", "February", "March", "April", "May", "June",
	"July", "August", "September", "October", "November", "December" };
static int jflag;

static void
usage(void)
{
	fprintf(stderr, "usage: cal [-3jy] [[month] year]\n");
	exit(1);
}

static int
leap(int y)
{
	return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0);
}

static int
mdays(int m, int y)	/* m 0-11 */
{
	static const int d[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return (m == 1 && leap(y) ? 29 : d[m]);
}

/* 0 = Sunday (Sakamoto's method). */
static int
weekday(int y, int m, int d)	/* m 1-12 */
{
	static const int t[] = { 0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4 };
	if (m < 3)
		y--;
	return ((y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7);
}

static int
yday(int y, int m, int d)
{
	int n = d;
	for (int i = 0; i < m; i++)
		n += mdays(i, y);
	return (n);
}

/* A month as 8 lines of text (title, day names, up to 6 weeks). */
static void
month_lines(int y, int m, int withyear, char lines[8][64])
{
	int cw = jflag ? 4 : 3, width = 7 * cw - 1;
	char title[64];

	if (withyear)
		snprintf(title, sizeof(title), "%s %d", months[m], y);
	else
		snprintf(title, sizeof(title), "%s", months[m]);
	int pad = (width - (int)strlen(title)) / 2;
	snprintf(lines[0], 64, "%*s%s", pad, "", title);
	snprintf(lines[1], 64, "%s", jflag ? " Su  Mo  Tu  We  Th  Fr  Sa" : "Su Mo Tu We Th Fr Sa");
	for (int i = 2; i < 8; i++)
		lines[i][0] = '\0';
	int col = weekday(y, m + 1, 1), row = 2;
	for (int d = 1; d <= mdays(m, y); d++) {
		char *l = lines[row];
		size_t len = strlen(l);
		/* Pad to this day's column. */
		while ((int)len < col * cw)
			l[len++] = ' ';
		len += sprintf(l + len, "%*d", cw - 1, jflag ? yday(y, m, d) : d);
		if (col < 6)
			l[len++] = ' ';
		l[len] = '\0';
		if (++col == 7) {
			col = 0;
			row++;
		}
	}
}

static void
trimprint(const char *s)
{
	size_t n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	printf("%.*s\n", (int)n, s);
}

/* Months side by side; blockw is each month's width. */
static void
row_of(int y, int first, int count, int withyear, int ys[], int ms[])
{
	char lines[3][8][64];
	int blockw = jflag ? 27 : 20;

	for (int i = 0; i < count; i++)
		month_lines(ys ? ys[i] : y, ms ? ms[i] : first + i, withyear, lines[i]);
	for (int r = 0; r < 8; r++) {
		char out[256];
		size_t len = 0;
		for (int i = 0; i < count; i++) {
			len += sprintf(out + len, "%-*s", blockw, lines[i][r]);
			if (i + 1 < count)
				len += sprintf(out + len, "  ");
		}
		trimprint(out);
	}
}

int
main(int argc, char *argv[])
{
	int ch, yflag = 0, three = 0, y, m;
	time_t now = time(NULL);
	struct tm *tm = localtime(&now);
	char *ep;

	while ((ch = getopt(argc, argv, "+3hjy")) != -1) {
		switch (ch) {
		case '3': three = 1; break;
		case 'h': break;	/* no highlighting of today to turn off */
		case 'j': jflag = 1; break;
		case 'y': yflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	y = tm->tm_year + 1900;
	m = tm->tm_mon;
	if (argc > 2)
		usage();
	if (argc == 2) {
		long v = strtol(argv[0], &ep, 10);
		if (*ep != '\0' || v < 1 || v > 12) {
			/* A month name (or a prefix of one). */
			int found = -1;
			for (int i = 0; i < 12; i++)
				if (strncasecmp(months[i], argv[0], strlen(argv[0])) == 0 && strlen(argv[0]) >= 3)
					found = i;
			if (found < 0)
				errx(1, "%s is neither a month number (1..12) nor a name", argv[0]);
			v = found + 1;
		}
		m = (int)v - 1;
		argv++;
		argc--;
	} else if (argc == 1)
		yflag = 1;
	if (argc == 1) {
		long v = strtol(argv[0], &ep, 10);
		if (*ep != '\0' || v < 1 || v > 9999)
			errx(1, "year `%s' not in range 1..9999", argv[0]);
		y = (int)v;
	}

	if (yflag) {
		int blockw = jflag ? 27 : 20, total = 3 * blockw + 4;
		char title[16];
		snprintf(title, sizeof(title), "%d", y);
		printf("%*s%s\n", (total - (int)strlen(title)) / 2, "", title);
		for (int q = 0; q < 12; q += 3)
			row_of(y, q, 3, 0, NULL, NULL);
		return (0);
	}
	if (three) {
		int ys[3], ms[3];
		for (int i = -1; i <= 1; i++) {
			int mm = m + i, yy = y;
			if (mm < 0) { mm += 12; yy--; }
			if (mm > 11) { mm -= 12; yy++; }
			ys[i + 1] = yy;
			ms[i + 1] = mm;
		}
		row_of(y, 0, 3, 1, ys, ms);
		return (0);
	}
	char lines[8][64];
	month_lines(y, m, 1, lines);
	for (int r = 0; r < 8; r++)
		trimprint(lines[r]);
	return (0);
}
