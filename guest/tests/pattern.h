/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The verifiable data pattern the workbench writes into the guest's NVMe
 * image: every 64-bit little-endian word holds a hash of its byte offset in
 * the image, so any misplaced, stale or zeroed block is detected.
 */
#ifndef DIO_PATTERN_H
#define DIO_PATTERN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint64_t dio_pattern_word(uint64_t off)
{
	uint64_t z = off + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Fill buf with the pattern of image bytes [off, off + len); off, len % 8 == 0. */
static inline void dio_pattern_fill(void *buf, uint64_t off, size_t len)
{
	uint64_t *w = buf;
	size_t i;

	for (i = 0; i < len / 8; i++)
		w[i] = dio_pattern_word(off + i * 8);
}

/*
 * Compare buf against the pattern of image bytes [off, off + len).
 * Returns the byte index of the first mismatching word, or -1 if all match.
 */
static inline long long dio_pattern_check(const void *buf, uint64_t off, size_t len)
{
	const uint64_t *w = buf;
	size_t i;

	for (i = 0; i < len / 8; i++)
		if (w[i] != dio_pattern_word(off + i * 8))
			return (long long)(i * 8);
	return -1;
}

#endif
