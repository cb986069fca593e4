/*
 * Integer mix: linked-list traversal, matrix multiply, CRC-32, a tokenizer
 * state machine and sorting, each run a round at a time with new data, for
 * ROUNDS rounds. Built twice: int-m runs in M-mode (no translation), int-u
 * (-DUSER) runs the same code in U-mode under Sv39 with 4 KiB pages.
 */
#include "bench.h"

#ifndef ROUNDS
#define ROUNDS 1200
#endif

static uint64_t rng_state;
static uint32_t rng(void)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(rng_state >> 33);
}

/* ---- linked list: nodes visited in a shuffled order ---- */
#define NODES 8192
struct node { struct node *next; uint64_t val; };
static struct node nodes[NODES];
static uint32_t perm[NODES];

static uint64_t list_round(void)
{
    for (uint32_t i = 0; i < NODES; i++)
        perm[i] = i;
    for (uint32_t i = NODES - 1; i > 0; i--) {
        uint32_t j = rng() % (i + 1), t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    for (uint32_t i = 0; i < NODES; i++) {
        nodes[perm[i]].next = &nodes[perm[(i + 1) % NODES]];
        nodes[perm[i]].val = i * 7 + 3;
    }
    uint64_t sum = 0;
    struct node *n = &nodes[perm[0]];
    for (int pass = 0; pass < 8; pass++)
        for (uint32_t i = 0; i < NODES; i++) {
            sum = sum * 31 + n->val;
            n = n->next;
        }
    return sum;
}

/* ---- matrix multiply ---- */
#define MN 40
static uint32_t ma[MN][MN], mb[MN][MN], mc[MN][MN];

static uint64_t matmul_round(void)
{
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) {
            ma[i][j] = rng() & 0xffff;
            mb[i][j] = rng() & 0xffff;
        }
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) {
            uint32_t s = 0;
            for (int k = 0; k < MN; k++)
                s += ma[i][k] * mb[k][j];
            mc[i][j] = s;
        }
    uint64_t sum = 0;
    for (int i = 0; i < MN; i++)
        sum = sum * 131 + mc[i][(i * 7) % MN];
    return sum;
}

/* ---- CRC-32 (IEEE, reflected), table-driven ---- */
#define CRC_LEN 8192
static uint32_t crc_table[256];
static uint8_t crc_buf[CRC_LEN];

static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

static uint64_t crc_round(void)
{
    for (int i = 0; i < CRC_LEN; i++)
        crc_buf[i] = (uint8_t)rng();
    uint32_t c = 0xffffffffu;
    for (int pass = 0; pass < 4; pass++)
        for (int i = 0; i < CRC_LEN; i++)
            c = crc_table[(c ^ crc_buf[i]) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

/* ---- tokenizer state machine over random text ---- */
#define TEXT_LEN 8192
static char text[TEXT_LEN];
enum { S_SPACE, S_IDENT, S_NUMBER, S_STRING, S_COMMENT };

static uint64_t lex_round(void)
{
    static const char alphabet[] = "abcdefghij  klmnop0123456789  \"#\n+-*/(),;  xyz";
    for (int i = 0; i < TEXT_LEN; i++)
        text[i] = alphabet[rng() % (sizeof alphabet - 1)];
    int state = S_SPACE;
    uint64_t idents = 0, numbers = 0, strings = 0, comments = 0, ops = 0, hash = 0;
    for (int i = 0; i < TEXT_LEN; i++) {
        char ch = text[i];
        switch (state) {
        case S_SPACE:
            if ((ch >= 'a' && ch <= 'z')) { state = S_IDENT; idents++; hash = ch; }
            else if (ch >= '0' && ch <= '9') { state = S_NUMBER; numbers++; hash = ch - '0'; }
            else if (ch == '"') { state = S_STRING; strings++; }
            else if (ch == '#') { state = S_COMMENT; comments++; }
            else if (ch != ' ' && ch != '\n') ops++;
            break;
        case S_IDENT:
            if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) hash = hash * 33 + ch;
            else { state = S_SPACE; i--; }
            break;
        case S_NUMBER:
            if (ch >= '0' && ch <= '9') hash = hash * 10 + (ch - '0');
            else { state = S_SPACE; i--; }
            break;
        case S_STRING:
            if (ch == '"' || ch == '\n') state = S_SPACE;
            break;
        case S_COMMENT:
            if (ch == '\n') state = S_SPACE;
            break;
        }
    }
    return idents ^ numbers << 12 ^ strings << 24 ^ comments << 36 ^ ops << 48 ^ hash;
}

/* ---- sorting: quicksort with insertion sort for short runs ---- */
#define SORT_N 4096
static uint32_t arr[SORT_N];

static void insertion(uint32_t *a, int n)
{
    for (int i = 1; i < n; i++) {
        uint32_t v = a[i];
        int j = i - 1;
        while (j >= 0 && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static void quicksort(uint32_t *a, int n)
{
    while (n > 16) {
        uint32_t p = a[n / 2];
        int i = 0, j = n - 1;
        for (;;) {
            while (a[i] < p) i++;
            while (a[j] > p) j--;
            if (i >= j) break;
            uint32_t t = a[i]; a[i] = a[j]; a[j] = t;
            i++; j--;
        }
        /* recurse on the smaller side, loop on the larger */
        if (j + 1 < n - j - 1) { quicksort(a, j + 1); a += j + 1; n -= j + 1; }
        else { quicksort(a + j + 1, n - j - 1); n = j + 1; }
    }
    insertion(a, n);
}

static uint64_t sort_round(void)
{
    for (int i = 0; i < SORT_N; i++)
        arr[i] = rng();
    quicksort(arr, SORT_N);
    uint64_t sum = 0;
    for (int i = 0; i < SORT_N; i += 64)
        sum = sum * 17 + arr[i];
    for (int i = 1; i < SORT_N; i++)
        if (arr[i - 1] > arr[i])
            return ~0ull;           /* not sorted: poisons the result */
    return sum;
}

static uint64_t run_all(void)
{
    uint64_t sum = 0;
    rng_state = 42;
    crc_init();
    for (int r = 0; r < ROUNDS; r++) {
        sum = sum * 3 + list_round();
        sum = sum * 3 + matmul_round();
        sum = sum * 3 + crc_round();
        sum = sum * 3 + lex_round();
        sum = sum * 3 + sort_round();
    }
    return sum;
}

#ifdef USER
uint64_t bench_main(void) { vm_setup(); enter_mode(0); }
uint64_t bench_user_main(void) { return run_all(); }
#else
uint64_t bench_main(void) { return run_all(); }
uint64_t bench_user_main(void) { return 0; }
#endif
