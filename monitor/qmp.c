/*
 * QMP, QEMU's machine protocol (monitors.h), with the replies and events a
 * script needs, shaped as QEMU 7.2's (docs/interop/qmp-spec in QEMU):
 *
 *   server: {"QMP": {"version": {...}, "capabilities": ["oob"]}}
 *   client: {"execute": "qmp_capabilities"}          -> {"return": {}}
 *   client: {"execute": CMD[, "arguments": {...}][, "id": ANY]}
 *   server: {"return": VALUE[, "id": ANY]} or
 *           {["id": ANY, ]"error": {"class": CLASS, "desc": TEXT}}
 *   server: {"timestamp": {"seconds": S, "microseconds": U}, "event": NAME[, "data": {...}]}
 *
 * Objects are framed by counting braces outside strings (as QEMU's JSON
 * streamer does), then parsed by jansson; a malformed one gets an error
 * and the next starts afresh. Before qmp_capabilities only it is accepted.
 */
#include "monitors.h"
#include "dbg.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#define QMP_MAX_DEPTH 1024

/* QEMU's versions are what a client checks: the protocol is 7.2's. */
#define QMP_VERSION "{\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, \"package\": \"hartvm\"}"

static void send_json(struct mon_front *f, json_t *v)
{
    char *s = json_dumps(v, JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    if (s) {
        chr_write(f->chr, s, strlen(s));
        chr_write(f->chr, "\r\n", 2);
    }
    free(s);
    json_decref(v);
}

static void send_event(struct mon_front *f, const char *name, json_t *data)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    json_t *e = json_pack("{s:{s:I,s:I},s:s}", "timestamp", "seconds", (json_int_t)tv.tv_sec,
                          "microseconds", (json_int_t)tv.tv_usec, "event", name);
    if (e && data)
        json_object_set_new(e, "data", data);
    else
        json_decref(data);
    if (e)
        send_json(f, e);
}

void qmp_greet(struct mon_front *f)
{
    f->negotiated = false;
    f->was_paused = f->m->paused;
    json_t *v = json_loads(QMP_VERSION, JSON_PRESERVE_ORDER, NULL);
    send_json(f, json_pack("{s:{s:o,s:[s]}}", "QMP", "version", v, "capabilities", "oob"));
}

void qmp_sync_events(struct mon_front *f)
{
    if (f->was_paused == f->m->paused || !f->negotiated)
        return;
    f->was_paused = f->m->paused;
    send_event(f, f->was_paused ? "STOP" : "RESUME", NULL);
}

void qmp_shutdown(struct mon_front *f, bool guest)
{
    send_event(f, "SHUTDOWN", json_pack("{s:b,s:s}", "guest", guest, "reason",
                                        guest ? "guest-shutdown" : "host-qmp-quit"));
}

/* ---- commands ----------------------------------------------------------- */

/* What a command gives back: a value for "return", or an error. */
struct qmp_result {
    json_t *ret;
    const char *cls;
    char desc[160];
};

static void fail(struct qmp_result *r, const char *cls, const char *desc)
{
    r->cls = cls;
    snprintf(r->desc, sizeof r->desc, "%s", desc);
}

/* The session's text of one command line (QEMU's HMP names mapped to ours),
 * with QEMU's CR LF line ends. */
static json_t *hmp_text(struct mon_front *f, const char *line)
{
    bool ok;
    char *text = session_run(&f->s, line, &ok);
    if (!text)
        return NULL;
    size_t lines = 0;
    for (const char *p = text; (p = strchr(p, '\n')); p++)
        lines++;
    char *crlf = malloc(strlen(text) + lines + 1), *o = crlf;
    for (const char *p = text; crlf && *p; p++) {
        if (*p == '\n')
            *o++ = '\r';
        *o++ = *p;
    }
    json_t *v = crlf ? (*o = 0, json_string(crlf)) : NULL;
    free(crlf);
    free(text);
    return v;
}

static void q_capabilities(struct mon_front *f, json_t *args, struct qmp_result *r)
{
    (void)args;
    if (f->negotiated) {
        fail(r, "CommandNotFound", "Capabilities negotiation is already complete, command ignored");
        return;
    }
    f->negotiated = true;
    f->was_paused = f->m->paused;
    r->ret = json_object();
}

static void q_status(struct mon_front *f, json_t *args, struct qmp_result *r)
{
    (void)args;
    bool run = !f->m->paused;
    /* paused before the first instruction: -S, QEMU's "prelaunch" */
    const char *st = run ? "running" : f->m->icount ? "paused" : "prelaunch";
    r->ret = json_pack("{s:s,s:b,s:b}", "status", st, "singlestep", 0, "running", run);
}

/* stop, cont, system_reset, quit: the session's, with QEMU's events. */
static void q_run_state(struct mon_front *f, const char *cmd, struct qmp_result *r)
{
    bool ok;
    free(session_run(&f->s, cmd, &ok));
    qmp_sync_events(f);
    if (!strcmp(cmd, "system_reset"))
        send_event(f, "RESET", json_pack("{s:b,s:s}", "guest", 0, "reason", "host-qmp-system-reset"));
    if (!strcmp(cmd, "quit"))
        qmp_shutdown(f, false);
    r->ret = json_object();
}

static void q_stop(struct mon_front *f, json_t *a, struct qmp_result *r) { (void)a; q_run_state(f, "stop", r); }
static void q_cont(struct mon_front *f, json_t *a, struct qmp_result *r) { (void)a; q_run_state(f, "cont", r); }
static void q_reset(struct mon_front *f, json_t *a, struct qmp_result *r) { (void)a; q_run_state(f, "system_reset", r); }
static void q_quit(struct mon_front *f, json_t *a, struct qmp_result *r) { (void)a; q_run_state(f, "quit", r); }

static void q_hmp(struct mon_front *f, json_t *args, struct qmp_result *r)
{
    json_t *line = json_object_get(args, "command-line"), *cpu = json_object_get(args, "cpu-index");
    if (!line)
        return fail(r, "GenericError", "Parameter 'command-line' is missing");
    if (!json_is_string(line))
        return fail(r, "GenericError", "Invalid parameter type for 'command-line', expected: string");
    if (cpu && (!json_is_integer(cpu) || json_integer_value(cpu) < 0 ||
                json_integer_value(cpu) >= f->m->nharts))
        return fail(r, "GenericError", "Parameter 'cpu-index' expects a CPU number");
    struct debugger *d = session_debugger(&f->s);
    if (cpu && d)
        d->cur = (int)json_integer_value(cpu);
    if (!(r->ret = hmp_text(f, json_string_value(line))))
        fail(r, "GenericError", "out of memory");
    qmp_sync_events(f);
}

static void q_version(struct mon_front *f, json_t *args, struct qmp_result *r)
{
    (void)f;
    (void)args;
    r->ret = json_loads(QMP_VERSION, JSON_PRESERVE_ORDER, NULL);
}

static void q_commands(struct mon_front *f, json_t *args, struct qmp_result *r);

static const struct qmp_cmd {
    const char *name;
    void (*fn)(struct mon_front *f, json_t *args, struct qmp_result *r);
    const char *params;         /* the argument names it takes, space-separated */
} cmds[] = {
    { "qmp_capabilities", q_capabilities, "enable" },
    { "query-status", q_status, "" },
    { "stop", q_stop, "" },
    { "cont", q_cont, "" },
    { "system_reset", q_reset, "" },
    { "quit", q_quit, "" },
    { "human-monitor-command", q_hmp, "command-line cpu-index" },
    { "query-version", q_version, "" },
    { "query-commands", q_commands, "" },
};
#define NCMDS (sizeof cmds / sizeof cmds[0])

static void q_commands(struct mon_front *f, json_t *args, struct qmp_result *r)
{
    (void)f;
    (void)args;
    r->ret = json_array();
    for (size_t i = 0; i < NCMDS; i++)
        json_array_append_new(r->ret, json_pack("{s:s}", "name", cmds[i].name));
}

/* An argument the command does not take: QEMU names it. */
static bool unexpected_arg(const struct qmp_cmd *c, json_t *args, struct qmp_result *r)
{
    const char *key;
    json_t *v;
    json_object_foreach(args, key, v) {
        size_t n = strlen(key);
        bool known = false;
        for (const char *p = c->params; *p; p += strspn(p, " ")) {
            size_t len = strcspn(p, " ");
            known |= len == n && !strncmp(p, key, n);
            p += len;
        }
        if (!known) {
            snprintf(r->desc, sizeof r->desc, "Parameter '%s' is unexpected", key);
            r->cls = "GenericError";
            return true;
        }
    }
    return false;
}

static void dispatch(struct mon_front *f, json_t *req, struct qmp_result *r)
{
    json_t *exec = json_object_get(req, "execute"), *args = json_object_get(req, "arguments");
    if (!exec)
        return fail(r, "GenericError", "QMP input lacks member 'execute'");
    if (!json_is_string(exec))
        return fail(r, "GenericError", "QMP input member 'execute' must be a string");
    if (args && !json_is_object(args))
        return fail(r, "GenericError", "QMP input member 'arguments' must be an object");
    const char *name = json_string_value(exec);
    if (!f->negotiated && strcmp(name, "qmp_capabilities"))
        return fail(r, "CommandNotFound", "Expecting capabilities negotiation with 'qmp_capabilities'");
    for (size_t i = 0; i < NCMDS; i++)
        if (!strcmp(cmds[i].name, name)) {
            if (!unexpected_arg(&cmds[i], args, r))
                cmds[i].fn(f, args, r);
            return;
        }
    snprintf(r->desc, sizeof r->desc, "The command %.100s has not been found", name);
    r->cls = "CommandNotFound";
}

/* One complete JSON text from the client: its reply. */
static void handle(struct mon_front *f, const char *text, size_t len)
{
    json_error_t jerr;
    json_t *req = json_loadb(text, len, JSON_DECODE_ANY, &jerr);
    struct qmp_result r = { 0 };
    json_t *id = json_is_object(req) ? json_object_get(req, "id") : NULL;
    if (!req)
        snprintf(r.desc, sizeof r.desc, "JSON parse error, %.120s", jerr.text), r.cls = "GenericError";
    else if (!json_is_object(req))
        fail(&r, "GenericError", "QMP input must be a JSON object");
    else
        dispatch(f, req, &r);
    json_t *out = json_object();
    if (r.cls) {                    /* QEMU puts the id first in an error */
        if (id)
            json_object_set(out, "id", id);
        json_object_set_new(out, "error", json_pack("{s:s,s:s}", "class", r.cls, "desc", r.desc));
    } else {
        json_object_set_new(out, "return", r.ret ? r.ret : json_object());
        if (id)
            json_object_set(out, "id", id);
    }
    send_json(f, out);
    json_decref(req);
}

/* Framing: a text ends where its outermost brace or bracket closes, or a
 * bare word at a line's end (a scalar, answered with an error). */
void qmp_input(struct mon_front *f, const char *p, size_t n)
{
    for (size_t i = 0; i < n && f->chr->fd >= 0; i++) {
        char c = p[i];
        bool top = f->depth == 0 && !f->in_str;
        if (top && f->inlen == 0 && (c == ' ' || c == '\t' || c == '\r' || c == '\n'))
            continue;
        if (f->inlen == sizeof f->in) {
            handle(f, "[", 1);      /* too long: a parse error, and afresh from here */
            mon_reset_input(f);
            continue;
        }
        f->in[f->inlen++] = c;
        bool end = false;
        if (f->in_str) {
            if (f->esc)
                f->esc = false;
            else if (c == '\\')
                f->esc = true;
            else if (c == '"')
                f->in_str = false;
        } else if (c == '"') {
            f->in_str = true;
        } else if ((c == '{' || c == '[') && ++f->depth > QMP_MAX_DEPTH) {
            handle(f, "[", 1);      /* too deep: the same */
            mon_reset_input(f);
            continue;
        } else if (c == '}' || c == ']') {
            end = --f->depth <= 0;
        } else if (c == '\n' && f->depth == 0) {
            end = true;
        }
        if (!end)
            continue;
        handle(f, f->in, f->inlen);
        mon_reset_input(f);
    }
}
