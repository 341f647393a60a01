/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The demo's model file: a safetensors file (8-byte little-endian header
 * length, JSON header, tensor data) whose tensor bytes are the workbench
 * pattern keyed by file offset, and whose header's __metadata__ holds a
 * 64-bit checksum of each tensor ("sum.NAME": "hex").  Shared by the host
 * generator (mksafetensors) and the guest loader (safetensors_load).
 */
#ifndef DIO_SAFETENSORS_H
#define DIO_SAFETENSORS_H

#include <stdint.h>
#include <string.h>
#include "pattern.h"

/* Byte @o of the file's data region: the pattern word of its 8-byte slot. */
static inline uint8_t st_byte(uint64_t o)
{
	return dio_pattern_word(o & ~7ULL) >> (8 * (o & 7));
}

/* Fill buf with file bytes [o, o + len), any alignment. */
static inline void st_fill(uint8_t *buf, uint64_t o, size_t len)
{
	size_t i = 0;

	for (; i < len && ((o + i) & 7); i++)
		buf[i] = st_byte(o + i);
	for (; i + 8 <= len; i += 8) {
		uint64_t w = dio_pattern_word(o + i);

		memcpy(buf + i, &w, 8);
	}
	for (; i < len; i++)
		buf[i] = st_byte(o + i);
}

/* Checksum of a tensor's bytes: 8-byte words (unaligned loads), then the tail. */
static inline uint64_t st_sum(const uint8_t *p, size_t len)
{
	uint64_t h = 0x6a09e667f3bcc909ULL ^ len;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		uint64_t w;

		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0x100000001b3ULL;
		h ^= h >> 29;
	}
	for (; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h ^ (h >> 32);
}
#endif
