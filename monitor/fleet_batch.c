/*
 * hartvm fleet --batch FILE -j N [--json OUT]: every instance runs once to
 * completion, at most N at a time, in the order of the file, each under
 * its own timeout. Then a table on stdout:
 *
 *   NAME        RESULT   STATUS          INSTRUCTIONS   SECONDS
 *   alu         passed   exit 0               1234567      0.05
 *   spin        timeout  timeout            987654321      2.00
 *   crash       crashed  signal SIGSEGV        123456      0.40
 *
 * and, with --json, the same as JSON (with the last lines of each console).
 * Exit status 0 only when every instance exited 0. Restart policies do
 * not apply here: a batch reports each instance's one run.
 */
#define _GNU_SOURCE             /* sigabbrev_np */
#include "fleet.h"
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#define TAIL_LINES 20

static void json_string(FILE *o, const char *s)
{
    fputc('"', o);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '"': fputs("\\\"", o); break;
        case '\\': fputs("\\\\", o); break;
        case '\n': fputs("\\n", o); break;
        case '\r': fputs("\\r", o); break;
        case '\t': fputs("\\t", o); break;
        default:
            if (c < 0x20 || c == 0x7f)
                fprintf(o, "\\u%04x", c);
            else
                fputc(c, o);    /* UTF-8 passes through; stray bytes are the guest's */
        }
    }
    fputc('"', o);
}

static double seconds(const struct instance *in)
{
    return in->result == RES_NONE ? 0 : in->ended - in->started;
}

static bool passed(const struct instance *in)
{
    return in->result == RES_PASSED;
}

static int write_json(struct fleet *f, const char *path, int jobs, double total, int npass)
{
    FILE *o = fopen(path, "w");
    if (!o) {
        fprintf(stderr, "hartvm fleet: --json %s: %s\n", path, strerror(errno));
        return -1;
    }
    fprintf(o, "{\n  \"fleet\": ");
    json_string(o, f->file);
    fprintf(o, ",\n  \"jobs\": %d,\n  \"seconds\": %.3f,\n  \"passed\": %d,\n  \"failed\": %d,\n",
            jobs, total, npass, f->n - npass);
    fprintf(o, "  \"instances\": [\n");
    for (int i = 0; i < f->n; i++) {
        struct instance *in = &f->inst[i];
        char buf[64];
        fprintf(o, "    {\"name\": ");
        json_string(o, in->cfg.name);
        fprintf(o, ", \"result\": ");
        json_string(o, in->result == RES_NONE ? "not run" : fleet_result_word(in->result));
        fprintf(o, ", \"status\": ");
        json_string(o, fleet_result_text(in, buf, sizeof buf));
        if (in->result == RES_STUCK) {
            fprintf(o, ", \"message\": ");
            json_string(o, in->stuck_msg);
        }
        if (in->result == RES_PASSED || in->result == RES_FAILED || in->result == RES_STUCK)
            fprintf(o, ", \"exit_code\": %d", in->code);
        else
            fprintf(o, ", \"exit_code\": null");
        if (in->result == RES_CRASHED || (in->result == RES_STOPPED && in->sig)) {
            fprintf(o, ", \"signal\": ");
            const char *ab = sigabbrev_np(in->sig);
            snprintf(buf, sizeof buf, "SIG%s", ab ? ab : "?");
            json_string(o, buf);
        } else {
            fprintf(o, ", \"signal\": null");
        }
        fprintf(o, ", \"instructions\": %llu, \"seconds\": %.3f, \"timeout\": %g",
                (unsigned long long)in->insns, seconds(in), in->cfg.timeout);
        fprintf(o, ", \"log\": ");
        if (f->logs_in_rundir)
            fprintf(o, "null");
        else
            json_string(o, in->log_path);
        char *tail = fleet_tail(in, TAIL_LINES);
        fprintf(o, ", \"output_tail\": ");
        json_string(o, tail ? tail : "");
        free(tail);
        fprintf(o, "}%s\n", i + 1 < f->n ? "," : "");
    }
    fprintf(o, "  ]\n}\n");
    if (fclose(o)) {
        fprintf(stderr, "hartvm fleet: --json %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

static void print_table(struct fleet *f, double total, int npass)
{
    int w = 4;
    for (int i = 0; i < f->n; i++) {
        int l = (int)strlen(f->inst[i].cfg.name);
        w = l > w ? l : w;
    }
    printf("%-*s  %-8s %-16s %14s %9s\n", w, "NAME", "RESULT", "STATUS", "INSTRUCTIONS", "SECONDS");
    for (int i = 0; i < f->n; i++) {
        struct instance *in = &f->inst[i];
        char buf[64];
        printf("%-*s  %-8s %-16s %14llu %9.2f\n", w, in->cfg.name,
               in->result == RES_NONE ? "not run" : fleet_result_word(in->result),
               fleet_result_text(in, buf, sizeof buf), (unsigned long long)in->insns, seconds(in));
    }
    printf("%d instances in %.2f s: %d passed, %d failed\n", f->n, total, npass, f->n - npass);
    fflush(stdout);
}

int fleet_batch(struct fleet *f, int jobs, const char *json_path)
{
    double t0 = fleet_now();
    int next = 0;
    bool stopping = false;
    fprintf(stderr, "hartvm fleet: %d instance%s, %d at a time; run directory %s\n", f->n,
            f->n == 1 ? "" : "s", jobs, f->rundir);
    for (;;) {
        if ((f->interrupted || f->terminate) && !stopping) {
            fprintf(stderr, "hartvm fleet: interrupted: stopping the running instances\n");
            stopping = true;
            f->quitting = true;
            for (int i = 0; i < f->n; i++)
                fleet_stop(f, &f->inst[i], 2.0);
        }
        while (!stopping && next < f->n && fleet_running(f) < jobs) {
            struct instance *in = &f->inst[next++];
            char err[512];
            if (fleet_start(f, in, err, sizeof err)) {
                fprintf(stderr, "hartvm fleet: %s\n", err);
                in->result = RES_FAILED;
                in->code = 1;
                in->started = in->ended = fleet_now();
            }
        }
        if (fleet_running(f) == 0 && (stopping || next >= f->n))
            break;
        fleet_step(f, 1.0);
    }
    double total = fleet_now() - t0;
    int npass = 0;
    for (int i = 0; i < f->n; i++)
        npass += passed(&f->inst[i]);
    print_table(f, total, npass);
    int r = 0;
    if (json_path && write_json(f, json_path, jobs, total, npass))
        r = 1;
    return npass == f->n && r == 0 ? 0 : 1;
}
