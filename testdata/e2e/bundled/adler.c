/*
 * adler.c -- a small checksum library compiled into the bundled module
 * (#included by bundled.c, as python-zstandard includes zstd.c). Plain C:
 * nothing of Python's, so abi3port never edits it and its verification
 * parses may skip these function bodies.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifndef ADLER_BLOCK
#define ADLER_BLOCK 5552 /* largest n with 255n(n+1)/2 + (n+1)(65521-1) < 2^32 */
#endif
#define ADLER_MOD 65521u

typedef struct {
    uint32_t a, b;
    uint64_t length;
} adler_state;

/* Used only by the bodies below. */
static uint32_t adler_reduce(uint32_t x) { return x % ADLER_MOD; }

static void adler_init(adler_state *s)
{
    memset(s, 0, sizeof *s);
    s->a = 1;
}

static void adler_update(adler_state *s, const unsigned char *data, size_t n)
{
    s->length += n;
    while (n > 0) {
        size_t chunk = n < ADLER_BLOCK ? n : ADLER_BLOCK;
        n -= chunk;
        while (chunk--) {
            s->a += *data++;
            s->b += s->a;
        }
        s->a = adler_reduce(s->a);
        s->b = adler_reduce(s->b);
    }
}

static uint32_t adler_value(const adler_state *s) { return (s->b << 16) | s->a; }

/* The checksum of the bytes rotated left by k (data[k..n) then data[0..k)),
 * read through a small buffer. */
static uint32_t adler_rotated(const unsigned char *data, size_t n, size_t k)
{
    adler_state s;
    unsigned char buf[64];
    size_t done = 0;
    adler_init(&s);
    if (n == 0)
        return adler_value(&s);
    k %= n;
    while (done < n) {
        size_t from = (k + done) % n;
        size_t take = n - done;
        if (take > n - from)
            take = n - from;
        if (take > sizeof buf)
            take = sizeof buf;
        memcpy(buf, data + from, take);
        adler_update(&s, buf, take);
        done += take;
    }
    return adler_value(&s);
}
