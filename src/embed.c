/* SPDX-License-Identifier: MIT */
/*
 * embed.c - build-time tool: turn a file into a C array so the default
 * policy is compiled into the binary.
 *
 *	embed INPUT OUTPUT SYMBOL
 *
 * defines `const char SYMBOL[]` (NUL-terminated) and `const size_t SYMBOL_len`.
 */
#include <stdio.h>

int main(int argc, char **argv)
{
	FILE *in, *out;
	size_t n = 0;
	int c;

	if (argc != 4) {
		fprintf(stderr, "usage: embed INPUT OUTPUT SYMBOL\n");
		return 2;
	}
	in = fopen(argv[1], "rb");
	out = fopen(argv[2], "w");
	if (!in || !out) {
		perror("embed");
		return 1;
	}
	fprintf(out, "/* Generated from %s by embed.c; do not edit. */\n", argv[1]);
	fprintf(out, "#include <stddef.h>\n");
	fprintf(out, "extern const char %s[];\nextern const size_t %s_len;\n", argv[3], argv[3]);
	fprintf(out, "const char %s[] = {", argv[3]);
	while ((c = getc(in)) != EOF)
		fprintf(out, "%s0x%02x,", n++ % 16 ? "" : "\n\t", c);
	fprintf(out, "\n\t0x00\n};\nconst size_t %s_len = %zu;\n", argv[3], n);
	if (ferror(in) || fclose(out) != 0) {
		perror("embed");
		return 1;
	}
	fclose(in);
	return 0;
}
