/*
 * stdio: buffering modes on files and pipes (what reached the kernel
 * when), fflush, setvbuf, ungetc, fgets/fscanf, fseek/ftell, tmpfile,
 * fdopen, fmemopen, open_memstream, and snprintf truncation.
 */
#include "corpus.h"

static off_t
size_of(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? sb.st_size : -1;
}

int
main(void)
{
	char path[256], line[128];
	const char *dir;
	FILE *f;
	int p[2], n;

	corpus_init();
	dir = corpus_mkdtemp("stdio");
	snprintf(path, sizeof(path), "%s/out", dir);

	/* A file stream is fully buffered: nothing reaches the file until fflush. */
	f = fopen(path, "w");
	fputs("line one\nline two\n", f);
	CHECK(size_of(path) == 0, "fully buffered: nothing written before fflush");
	fflush(f);
	CHECK(size_of(path) == 18, "fflush writes 18 bytes");

	/* Line buffered: each newline flushes. */
	setvbuf(f, NULL, _IOLBF, 0);
	fputs("partial", f);
	CHECK(size_of(path) == 18, "line buffered: a partial line stays");
	fputs(" line\n", f);
	CHECK(size_of(path) == 31, "the newline flushes it");

	/* Unbuffered: every call writes. */
	setvbuf(f, NULL, _IONBF, 0);
	fputc('x', f);
	CHECK(size_of(path) == 32, "unbuffered: one character written at once");
	fclose(f);

	/* A buffer larger than the data, then fclose flushes. */
	f = fopen(path, "a");
	{
		static char big[100000];
		setvbuf(f, big, _IOFBF, sizeof(big));
		for (int i = 0; i < 1000; i++)
			fprintf(f, "%04d\n", i);
		CHECK(size_of(path) == 32, "5000 bytes in a 100000-byte buffer: not yet written");
		fclose(f);
		CHECK(size_of(path) == 5032, "fclose writes them");
	}

	/* Reading back: fgets, ungetc, fscanf, fseek/ftell. */
	f = fopen(path, "r");
	CHECK(fgets(line, sizeof(line), f) && strcmp(line, "line one\n") == 0, "fgets the first line");
	CHECK(ftell(f) == 9, "ftell 9");
	CHECK(fgetc(f) == 'l' && ungetc('L', f) == 'L' && fgetc(f) == 'L', "ungetc pushes back a different char");
	fseek(f, 32, SEEK_SET);
	CHECK(fscanf(f, "%d", &n) == 1 && n == 0, "fseek to 32, fscanf reads 0000");
	fseek(f, -5, SEEK_END);
	CHECK(fscanf(f, "%d", &n) == 1 && n == 999 && fgetc(f) == '\n' && fgetc(f) == EOF && feof(f), "the last number, then EOF");
	clearerr(f);
	CHECK(!feof(f), "clearerr");
	rewind(f);
	CHECK(fgetc(f) == 'l', "rewind");
	fclose(f);

	/* tmpfile: anonymous, gone when closed. */
	f = tmpfile();
	CHECK(f != NULL, "tmpfile");
	if (f != NULL) {
		fprintf(f, "%s %d %.2f", "tmp", 42, 2.5);
		rewind(f);
		CHECK(fgets(line, sizeof(line), f) && strcmp(line, "tmp 42 2.50") == 0, "tmpfile round trip");
		fclose(f);
	}

	/* A stream on a pipe: fdopen both ends. */
	pipe(p);
	{
		FILE *w = fdopen(p[1], "w"), *r = fdopen(p[0], "r");
		int sum = 0, v;

		for (int i = 1; i <= 100; i++)
			fprintf(w, "%d ", i);
		fclose(w);
		while (fscanf(r, "%d", &v) == 1)
			sum += v;
		fclose(r);
		CHECK(sum == 5050, "numbers through a pipe stream sum to 5050");
	}

	/* Memory streams. */
	{
		char mem[32] = "alpha beta gamma";
		char *buf = NULL;
		size_t len = 0;
		char word[16];

		f = fmemopen(mem, strlen(mem), "r");
		fscanf(f, "%15s", word);
		fscanf(f, "%15s", word);
		CHECK(strcmp(word, "beta") == 0, "fmemopen + fscanf");
		fclose(f);
		f = open_memstream(&buf, &len);
		for (int i = 0; i < 100; i++)
			fprintf(f, "%d,", i);
		fclose(f);
		CHECK(len == 290 && strncmp(buf, "0,1,2,", 6) == 0, "open_memstream grows to 290 bytes");
		free(buf);
	}

	/* snprintf reports what it would have written. */
	CHECK(snprintf(line, 5, "%s", "truncated") == 9 && strcmp(line, "trun") == 0, "snprintf truncates, returns 9");
	CHECK(snprintf(NULL, 0, "%d-%d", 123, 45678) == 9, "snprintf(NULL, 0) measures");

	/* Output to stdout around a fork must not be duplicated. */
	printf("before fork (line buffered, so flushed)\n");
	{
		pid_t pid = fork();
		if (pid == 0) {
			printf("in the child\n");
			exit(0);	/* exit, not _exit: flushes stdio */
		}
		waitpid(pid, NULL, 0);
	}
	printf("after fork\n");

	corpus_rmtree(dir);
	return corpus_done();
}
