/*
 * Memory.  Parse trees and expansion results live on a stack arena that is
 * popped after each command, so a long-running loop does not grow the
 * shell; anything that must outlive a command (variables, functions, job
 * text) is copied to malloc'd memory.
 */
#include <stdlib.h>
#include <string.h>

#include "shell.h"

void *
ckmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		sh_error("out of memory");
	return p;
}

void *
ckrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		sh_error("out of memory");
	return p;
}

char *
ckstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(ckmalloc(n), s, n);
}

/* Arena blocks, newest first. */
struct stblock {
	struct stblock *prev;
	size_t size, used;
	char data[];
};

static struct stblock *stack;
#define MINBLOCK 8192

void *
stalloc(size_t n)
{
	struct stblock *b;

	n = (n + 15) & ~(size_t)15;
	if (stack == NULL || stack->size - stack->used < n) {
		size_t sz = n > MINBLOCK ? n : MINBLOCK;

		b = ckmalloc(sizeof(*b) + sz);
		b->prev = stack;
		b->size = sz;
		b->used = 0;
		stack = b;
	}
	b = stack;
	b->used += n;
	return b->data + b->used - n;
}

char *
ststrdup(const char *s)
{
	return ststrndup(s, strlen(s));
}

char *
ststrndup(const char *s, size_t n)
{
	char *p = stalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
setstackmark(struct stackmark *m)
{
	m->block = stack;
	m->used = stack ? stack->used : 0;
}

void
popstackmark(struct stackmark *m)
{
	while (stack != NULL && stack != m->block) {
		struct stblock *prev = stack->prev;

		free(stack);
		stack = prev;
	}
	if (stack != NULL)
		stack->used = m->used;
}

void
sb_init(struct strbuf *sb)
{
	sb->s = NULL;
	sb->len = sb->cap = 0;
}

static void
sb_grow(struct strbuf *sb, size_t more)
{
	if (sb->len + more + 1 > sb->cap) {
		size_t cap = sb->cap ? sb->cap * 2 : 64;

		while (cap < sb->len + more + 1)
			cap *= 2;
		sb->s = ckrealloc(sb->s, cap);
		sb->cap = cap;
	}
}

void
sb_addc(struct strbuf *sb, int c)
{
	sb_grow(sb, 1);
	sb->s[sb->len++] = (char)c;
	sb->s[sb->len] = '\0';
}

void
sb_addn(struct strbuf *sb, const char *s, size_t n)
{
	sb_grow(sb, n);
	memcpy(sb->s + sb->len, s, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
}

void
sb_adds(struct strbuf *sb, const char *s)
{
	sb_addn(sb, s, strlen(s));
}

void
sb_free(struct strbuf *sb)
{
	free(sb->s);
	sb_init(sb);
}
