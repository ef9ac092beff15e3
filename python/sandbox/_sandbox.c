/* SPDX-License-Identifier: MIT */
/*
 * _sandbox - the C half of the Python module "sandbox": sbx_run() and the
 * policy loader, with the GIL released while a sandbox runs.
 *
 * Arguments arrive already checked and converted by sandbox/__init__.py
 * (paths as bytes, limits as integers, names as the enums' numbers); this
 * file copies them into C memory, so that no Python object is touched while
 * the GIL is released, and turns the result into its JSON report text.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox.h"

/* A loaded policy: read-only once loaded, so runs in several threads may share it. */
struct policy_object {
	PyObject ob_base; /* PyObject_HEAD */
	struct sbx_policy *policy;
};

static void policy_dealloc(PyObject *self)
{
	sbx_policy_free(((struct policy_object *)self)->policy);
	Py_TYPE(self)->tp_free(self);
}

static PyTypeObject policy_type = {
	PyVarObject_HEAD_INIT(NULL, 0).tp_name = "sandbox._sandbox.Policy",
	.tp_basicsize = sizeof(struct policy_object),
	.tp_dealloc = policy_dealloc,
	.tp_flags = Py_TPFLAGS_DEFAULT,
	.tp_doc = "A loaded policy (made by sandbox.Policy(); not constructible here).",
};

/* (policy, 0, None) or (None, errno, diagnostics) from a loader's return. */
static PyObject *load_result(int r, struct sbx_policy *policy, char *diag)
{
	struct policy_object *obj;
	PyObject *text;

	if (r < 0) {
		text = PyUnicode_DecodeFSDefault(diag ? diag : "");
		free(diag);
		return text ? Py_BuildValue("(OiN)", Py_None, -r, text) : NULL;
	}
	free(diag);
	obj = PyObject_New(struct policy_object, &policy_type);
	if (!obj) {
		sbx_policy_free(policy);
		return NULL;
	}
	obj->policy = policy;
	return Py_BuildValue("(NiO)", (PyObject *)obj, 0, Py_None);
}

static PyObject *load_policy(PyObject *self, PyObject *args)
{
	struct sbx_policy *policy = NULL;
	char *diag = NULL;
	const char *path;
	PyThreadState *state;
	int r;

	(void)self;
	if (!PyArg_ParseTuple(args, "y:load_policy", &path))
		return NULL;
	/* A policy file may be a FIFO that waits for its writer. */
	state = PyEval_SaveThread();
	r = sbx_policy_load(path, &policy, &diag);
	PyEval_RestoreThread(state);
	return load_result(r, policy, diag);
}

static PyObject *parse_policy(PyObject *self, PyObject *args)
{
	struct sbx_policy *policy = NULL;
	char *diag = NULL;
	const char *name, *text;
	Py_ssize_t len;
	int r;

	(void)self;
	if (!PyArg_ParseTuple(args, "yy#:parse_policy", &name, &text, &len))
		return NULL;
	r = sbx_policy_parse(name, text, (size_t)len, &policy, &diag);
	return load_result(r, policy, diag);
}

/* (0, value) or (errno, None): the caller words the error with the parameter's name. */
static PyObject *parse_number(PyObject *args, const char *format,
			      int (*parse)(const char *, uint64_t *))
{
	const char *text;
	uint64_t value;
	int r;

	if (!PyArg_ParseTuple(args, format, &text))
		return NULL;
	r = parse(text, &value);
	if (r < 0)
		return Py_BuildValue("(iO)", -r, Py_None);
	return Py_BuildValue("(iK)", 0, (unsigned long long)value);
}

static PyObject *parse_size(PyObject *self, PyObject *args)
{
	(void)self;
	return parse_number(args, "y:parse_size", sbx_parse_size);
}

static PyObject *parse_duration_ms(PyObject *self, PyObject *args)
{
	(void)self;
	return parse_number(args, "y:parse_duration_ms", sbx_parse_duration_ms);
}

/* 0 or the errno of sbx_trace_check(): EINVAL names an unknown call or group. */
static PyObject *trace_check(PyObject *self, PyObject *args)
{
	const char *spec;

	(void)self;
	if (!PyArg_ParseTuple(args, "y:trace_check", &spec))
		return NULL;
	return PyLong_FromLong(-sbx_trace_check(spec));
}

/* Every string a run's config points to, copied out of Python objects. */
struct strings {
	char **v;
	size_t n, cap;
};

static void strings_free(struct strings *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

/* A copy of the bytes object |obj| kept in |s|, or NULL with an exception set. */
static char *strings_add(struct strings *s, PyObject *obj, const char *what)
{
	char *data, *copy, **v;
	Py_ssize_t len;

	if (PyBytes_AsStringAndSize(obj, &data, &len) < 0)
		return NULL;
	if (memchr(data, 0, (size_t)len)) {
		PyErr_Format(PyExc_ValueError, "%s: embedded NUL byte", what);
		return NULL;
	}
	if (s->n == s->cap) {
		v = realloc(s->v, (s->cap * 2 + 8) * sizeof(*v));
		if (!v)
			return (char *)PyErr_NoMemory();
		s->v = v;
		s->cap = s->cap * 2 + 8;
	}
	copy = strdup(data);
	if (!copy)
		return (char *)PyErr_NoMemory();
	s->v[s->n++] = copy;
	return copy;
}

/* The same for an optional argument: None leaves *ret NULL. Returns -1 on error. */
static int strings_add_opt(struct strings *s, PyObject *obj, const char *what, const char **ret)
{
	*ret = NULL;
	if (!obj || obj == Py_None)
		return 0;
	*ret = strings_add(s, obj, what);
	return *ret ? 0 : -1;
}

/* A list of bytes as a NULL-terminated array (malloc'd; strings in |s|), or NULL. */
static char **string_array(struct strings *s, PyObject *list, const char *what)
{
	Py_ssize_t n;
	char **v;

	if (!PyList_Check(list)) {
		PyErr_Format(PyExc_TypeError, "%s: expected a list of bytes", what);
		return NULL;
	}
	n = PyList_GET_SIZE(list);
	v = calloc((size_t)n + 1, sizeof(*v));
	if (!v)
		return (char **)PyErr_NoMemory();
	for (Py_ssize_t i = 0; i < n; i++) {
		v[i] = strings_add(s, PyList_GET_ITEM(list, i), what);
		if (!v[i]) {
			free(v);
			return NULL;
		}
	}
	return v;
}

/* Mounts: a list of (type, source or None, destination or None, size). */
static struct sbx_mount *mount_array(struct strings *s, PyObject *list, size_t *ret_n)
{
	struct sbx_mount *m;
	Py_ssize_t n;
	PyObject *src, *dst;
	int type;
	unsigned long long size;

	if (!PyList_Check(list)) {
		PyErr_SetString(PyExc_TypeError, "mounts: expected a list of tuples");
		return NULL;
	}
	n = PyList_GET_SIZE(list);
	m = calloc((size_t)n + 1, sizeof(*m));
	if (!m)
		return (struct sbx_mount *)PyErr_NoMemory();
	for (Py_ssize_t i = 0; i < n; i++) {
		if (!PyArg_ParseTuple(PyList_GET_ITEM(list, i), "iOOK:mounts", &type, &src, &dst,
				      &size) ||
		    strings_add_opt(s, src, "mounts", &m[i].source) < 0 ||
		    strings_add_opt(s, dst, "mounts", &m[i].destination) < 0) {
			free(m);
			return NULL;
		}
		m[i].type = (enum sbx_mount_type)type;
		m[i].size = size;
	}
	*ret_n = (size_t)n;
	return m;
}

/* The objects run() takes, before they are copied into a config. */
struct run_args {
	PyObject *argv, *env, *mounts;
	PyObject *stdin_path, *stdout_path, *stderr_path, *chdir, *user, *group;
	PyObject *cgroup_parent, *trace;
};

static int fill_config(struct sbx_config *c, struct strings *s, const struct run_args *a)
{
	char **argv = string_array(s, a->argv, "argv");

	if (!argv)
		return -1;
	c->argv = argv;
	if (a->env != Py_None) {
		c->envp = string_array(s, a->env, "env");
		if (!c->envp)
			return -1;
	}
	if (a->mounts != Py_None) {
		c->mounts = mount_array(s, a->mounts, &c->n_mounts);
		if (!c->mounts)
			return -1;
	}
	if (strings_add_opt(s, a->stdin_path, "stdin", &c->stdin_path) < 0 ||
	    strings_add_opt(s, a->stdout_path, "stdout", &c->stdout_path) < 0 ||
	    strings_add_opt(s, a->stderr_path, "stderr", &c->stderr_path) < 0 ||
	    strings_add_opt(s, a->chdir, "chdir", &c->chdir) < 0 ||
	    strings_add_opt(s, a->user, "user", &c->user) < 0 ||
	    strings_add_opt(s, a->group, "group", &c->group) < 0 ||
	    strings_add_opt(s, a->cgroup_parent, "cgroup_parent", &c->cgroup_parent) < 0 ||
	    strings_add_opt(s, a->trace, "trace", &c->trace) < 0)
		return -1;
	return 0;
}

static void config_free(struct sbx_config *c, struct strings *s)
{
	free((void *)c->argv);
	free((void *)c->envp);
	free((void *)c->mounts);
	strings_free(s);
}

/* (0, report JSON text) or (errno, None) when the supervisor itself failed. */
static PyObject *run_and_report(struct sbx_config *c)
{
	struct sbx_result result;
	char *text = NULL;
	PyThreadState *state;
	PyObject *ret;
	int r;

	/* Other Python threads run meanwhile, their own sandboxes too. */
	state = PyEval_SaveThread();
	r = sbx_run(c, &result);
	if (r == 0)
		r = sbx_result_to_json(&result, &text);
	sbx_result_clear(&result);
	PyEval_RestoreThread(state);
	if (r < 0)
		return Py_BuildValue("(iO)", -r, Py_None);
	/* Bytes: a path in the report need not be UTF-8 (json.loads() takes bytes). */
	ret = Py_BuildValue("(iy)", 0, text);
	free(text);
	return ret;
}

static PyObject *run(PyObject *self, PyObject *args, PyObject *kwargs)
{
	static char *keywords[] = {
		"policy",	"argv",		 "env",		"keep_env",	 "cpu_time_ms",
		"wall_time_ms", "memory_bytes",	 "stack_bytes", "processes",	 "output_bytes",
		"open_files",	"memory_rlimit", "stdin",	"stdout",	 "stderr",
		"chdir",	"user",		 "group",	"isolation",	 "workdir",
		"mounts",	"share_net",	 "tmp_size",	"cgroup_parent", "no_cgroup",
		"trace",	"verbosity",	 "log_fd",	"log_limit",	 "decisions",
		NULL,
	};
	struct policy_object *policy;
	struct run_args a = {.env = Py_None, .mounts = Py_None};
	struct sbx_config c = {.log_fd = 2};
	struct sbx_limits *l = &c.limits;
	struct strings s = {0};
	int keep_env = 0, rlimit = 0, isolation = 0, workdir = 0, share_net = 0, no_cgroup = 0;
	int verbosity = 0, decisions = 0;
	unsigned long long cpu = 0, wall = 0, mem = 0, stack = 0, procs = 0, output = 0;
	unsigned long long files = 0, tmp_size = 0, log_limit = 0;
	PyObject *ret;

	(void)self;
	if (!PyArg_ParseTupleAndKeywords(
		    args, kwargs, "O!O|$OpKKKKKKKiOOOOOOiiOpKOpOiiKi:run", keywords, &policy_type,
		    &policy, &a.argv, &a.env, &keep_env, &cpu, &wall, &mem, &stack, &procs, &output,
		    &files, &rlimit, &a.stdin_path, &a.stdout_path, &a.stderr_path, &a.chdir,
		    &a.user, &a.group, &isolation, &workdir, &a.mounts, &share_net, &tmp_size,
		    &a.cgroup_parent, &no_cgroup, &a.trace, &verbosity, &c.log_fd, &log_limit,
		    &decisions))
		return NULL;
	*l = (struct sbx_limits){
		.cpu_time_ms = cpu,
		.wall_time_ms = wall,
		.memory_bytes = mem,
		.stack_bytes = stack,
		.processes = procs,
		.output_bytes = output,
		.open_files = files,
		.memory_rlimit = (enum sbx_memory_rlimit)rlimit,
	};
	c.policy = policy->policy;
	c.keep_env = keep_env;
	c.isolation = (enum sbx_isolation)isolation;
	c.workdir = (enum sbx_workdir)workdir;
	c.share_net = share_net;
	c.tmp_size = tmp_size;
	c.no_cgroup = no_cgroup;
	c.verbosity = (enum sbx_verbosity)verbosity;
	c.log_limit = log_limit;
	c.decisions = (enum sbx_decisions)decisions;
	if (fill_config(&c, &s, &a) < 0) {
		config_free(&c, &s);
		return NULL;
	}
	/* |policy| stays referenced by |args| until run() returns. */
	ret = run_and_report(&c);
	config_free(&c, &s);
	return ret;
}

static PyMethodDef methods[] = {
	{"load_policy", load_policy, METH_VARARGS,
	 "load_policy(name: bytes) -> (Policy | None, errno, diagnostics | None)"},
	{"parse_policy", parse_policy, METH_VARARGS,
	 "parse_policy(name: bytes, text: bytes) -> (Policy | None, errno, diagnostics | None)"},
	{"parse_size", parse_size, METH_VARARGS, "parse_size(text: bytes) -> (errno, bytes)"},
	{"parse_duration_ms", parse_duration_ms, METH_VARARGS,
	 "parse_duration_ms(text: bytes) -> (errno, milliseconds)"},
	{"trace_check", trace_check, METH_VARARGS, "trace_check(spec: bytes) -> errno"},
	{"run", (PyCFunction)(void (*)(void))run, METH_VARARGS | METH_KEYWORDS,
	 "run(policy, argv, **config) -> (0, report JSON text) | (errno, None)"},
	{NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
	PyModuleDef_HEAD_INIT,
	.m_name = "sandbox._sandbox",
	.m_doc = "The C library behind the sandbox module; use sandbox.run().",
	.m_size = -1,
	.m_methods = methods,
};

PyMODINIT_FUNC PyInit__sandbox(void);

PyMODINIT_FUNC PyInit__sandbox(void)
{
	PyObject *m;

	if (PyType_Ready(&policy_type) < 0)
		return NULL;
	m = PyModule_Create(&module);
	if (!m)
		return NULL;
	Py_INCREF(&policy_type);
	if (PyModule_AddObject(m, "Policy", (PyObject *)&policy_type) < 0 ||
	    PyModule_AddStringConstant(m, "VERSION", sbx_version()) < 0) {
		Py_DECREF(&policy_type);
		Py_DECREF(m);
		return NULL;
	}
	return m;
}
