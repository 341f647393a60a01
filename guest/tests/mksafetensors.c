// SPDX-License-Identifier: GPL-2.0
/*
 * Host tool: write the demo's model file, a safetensors file shaped like a
 * small decoder-only transformer (embedding, N layers of attention and MLP
 * weights in F16, F32 norms, LM head), about 1.1 GiB for 9 layers.  Tensor
 * bytes are the workbench pattern keyed by file offset; the header's
 * __metadata__ carries each tensor's checksum (safetensors.h).  The header is
 * padded to 8 bytes only, as common writers do, so tensors start at offsets
 * that are not block aligned.
 *
 * usage: mksafetensors FILE [LAYERS]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "safetensors.h"

#define HID	2048
#define FFN	5632
#define VOCAB	32000
#define MAXT	256

struct tensor {
	char name[64];
	const char *dtype;
	unsigned long rows, cols;	/* cols 0: a vector */
	uint64_t begin, end;		/* in the data region */
	uint64_t sum;
};

static struct tensor t[MAXT];
static unsigned int nt;

static void add(const char *name, const char *dtype, unsigned long rows, unsigned long cols)
{
	unsigned long elsz = dtype[1] == '1' ? 2 : 4;	/* F16 or F32 */
	struct tensor *x = &t[nt++];

	snprintf(x->name, sizeof(x->name), "%s", name);
	x->dtype = dtype;
	x->rows = rows;
	x->cols = cols;
	x->begin = nt > 1 ? t[nt - 2].end : 0;
	x->end = x->begin + rows * (cols ? cols : 1) * elsz;
}

int main(int argc, char **argv)
{
	static uint8_t buf[4 << 20];
	unsigned int layers = argc > 2 ? strtoul(argv[2], NULL, 0) : 9, i;
	char *hdr = malloc(1 << 20), name[64];
	uint64_t hlen, ds, o, end;
	size_t n = 0;
	FILE *f;

	if (argc < 2 || !hdr)
		return fprintf(stderr, "usage: %s FILE [LAYERS]\n", argv[0]), 2;
	add("model.embed_tokens.weight", "F16", VOCAB, HID);
	for (i = 0; i < layers; i++) {
		static const char *const attn[] = { "q_proj", "k_proj", "v_proj", "o_proj" };
		static const char *const mlp[] = { "gate_proj", "up_proj", "down_proj" };

		for (int k = 0; k < 4; k++) {
			snprintf(name, sizeof(name), "model.layers.%u.self_attn.%s.weight", i, attn[k]);
			add(name, "F16", HID, HID);
		}
		for (int k = 0; k < 3; k++) {
			snprintf(name, sizeof(name), "model.layers.%u.mlp.%s.weight", i, mlp[k]);
			add(name, "F16", k == 2 ? HID : FFN, k == 2 ? FFN : HID);
		}
		snprintf(name, sizeof(name), "model.layers.%u.input_layernorm.weight", i);
		add(name, "F32", HID, 0);
		snprintf(name, sizeof(name), "model.layers.%u.post_attention_layernorm.weight", i);
		add(name, "F32", HID, 0);
	}
	add("model.norm.weight", "F32", HID, 0);
	add("lm_head.weight", "F16", VOCAB, HID);

	/*
	 * The data region starts at 8 + header length, which the checksums
	 * depend on (the pattern is keyed by file offset): fix the header's
	 * size first.  Checksums are 16 hex digits, so the length does not
	 * depend on their values.
	 */
	for (int pass = 0; pass < 2; pass++) {
		n = sprintf(hdr, "{\"__metadata__\":{\"format\":\"pt\"");
		for (i = 0; i < nt; i++)
			n += sprintf(hdr + n, ",\"sum.%s\":\"%016llx\"", t[i].name,
				     (unsigned long long)t[i].sum);
		n += sprintf(hdr + n, "}");
		for (i = 0; i < nt; i++) {
			n += sprintf(hdr + n, ",\"%s\":{\"dtype\":\"%s\",\"shape\":[%lu", t[i].name,
				     t[i].dtype, t[i].rows);
			if (t[i].cols)
				n += sprintf(hdr + n, ",%lu", t[i].cols);
			n += sprintf(hdr + n, "],\"data_offsets\":[%llu,%llu]}",
				     (unsigned long long)t[i].begin, (unsigned long long)t[i].end);
		}
		n += sprintf(hdr + n, "}");
		while (n % 8)
			hdr[n++] = ' ';
		ds = 8 + n;
		if (pass)
			break;
		for (i = 0; i < nt; i++) {
			size_t len = t[i].end - t[i].begin;
			uint8_t *p = malloc(len);

			if (!p)
				return perror("malloc"), 1;
			st_fill(p, ds + t[i].begin, len);
			t[i].sum = st_sum(p, len);
			free(p);
		}
	}

	f = fopen(argv[1], "wb");
	if (!f)
		return perror(argv[1]), 1;
	hlen = n;
	if (fwrite(&hlen, 8, 1, f) != 1 || fwrite(hdr, 1, n, f) != n)
		return perror("write"), 1;
	end = ds + t[nt - 1].end;
	for (o = ds; o < end; o += sizeof(buf)) {
		size_t len = end - o < sizeof(buf) ? end - o : sizeof(buf);

		st_fill(buf, o, len);
		if (fwrite(buf, 1, len, f) != len)
			return perror("write"), 1;
	}
	if (fclose(f))
		return perror(argv[1]), 1;
	printf("%s: %u tensors, %llu bytes of tensor data, header %zu bytes\n", argv[1], nt,
	       (unsigned long long)t[nt - 1].end, n);
	return 0;
}
