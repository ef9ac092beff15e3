/* SPDX-License-Identifier: MIT */
/*
 * bpf_loader FILE PROG [ARGS...]: load the raw classic-BPF seccomp program in
 * FILE (as "sandbox --dump-filter=bpf" writes it) with no_new_privs, then
 * exec PROG. No tracer: the baseline for what the filter alone costs.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sock_fprog prog;
	struct stat st;
	struct sock_filter *insns;
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: bpf_loader FILE PROG [ARGS...]\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size == 0 ||
	    st.st_size % (off_t)sizeof(struct sock_filter) != 0) {
		fprintf(stderr, "bpf_loader: %s: not a BPF program\n", argv[1]);
		return 2;
	}
	insns = malloc((size_t)st.st_size);
	if (!insns || read(fd, insns, (size_t)st.st_size) != st.st_size) {
		fprintf(stderr, "bpf_loader: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	close(fd);
	prog.len = (unsigned short)(st.st_size / (off_t)sizeof(struct sock_filter));
	prog.filter = insns;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
		fprintf(stderr, "bpf_loader: loading the filter: %s\n", strerror(errno));
		return 2;
	}
	execv(argv[2], argv + 2);
	fprintf(stderr, "bpf_loader: %s: %s\n", argv[2], strerror(errno));
	return 127;
}
