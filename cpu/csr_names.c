/* CSR names (cpu/csr_names.def), for the disassembler and the debugger. */
#include "hart.h"
#include <stddef.h>

static const struct {
    unsigned short num, since, until;
    const char *name;
} csr_table[] = {
#define CSR(num, name, since, until) { num, since, until, #name },
#include "csr_names.def"
};

/* The name of CSR number csr under privileged spec version priv_spec
 * (110, 111, 112), or NULL if it has none there. A linear scan: fine for
 * printing. */
const char *csr_name_spec(unsigned csr, int priv_spec)
{
    for (size_t i = 0; i < sizeof csr_table / sizeof *csr_table; i++)
        if (csr_table[i].num == csr && priv_spec >= csr_table[i].since &&
            (!csr_table[i].until || priv_spec < csr_table[i].until))
            return csr_table[i].name;
    return NULL;
}

/* The name under the privileged spec hartvm implements (1.12). */
const char *csr_name(unsigned csr)
{
    return csr_name_spec(csr, CSR_NAMES_CURRENT_SPEC);
}
