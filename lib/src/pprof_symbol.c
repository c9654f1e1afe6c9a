/* pprof_symbol.c - names for return addresses, for the goroutine profile's debug=1 text.
 *
 * The files pprof reads carry addresses and the memory map, and the readers find names; text
 * for people must carry the names itself, as Go's debug=1 does (`func+0xOFF file:line`). They
 * come from the program's symbol table and DWARF line table, read by elfutils' libdwfl (Debian
 * libdw-dev), which, unlike dladdr, also names static functions and needs no -rdynamic. Without
 * it (the library built where libdw-dev was missing) addresses stay unnamed.
 *
 * Opening every module of the process and reading its tables takes tens of milliseconds, so the
 * session is made once and kept, and made again only when an address falls in no module it knows
 * (a library loaded since; at most once per profile, in case the address is no code at all).
 * libdwfl is not thread-safe: one lock for all of it.
 */
#include "pprof_internal.h"

#ifdef GO__HAVE_LIBDW

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <pthread.h>
#include <unistd.h>

#include "runtime.h"

static pthread_mutex_t session_lock = PTHREAD_MUTEX_INITIALIZER;
static Dwfl *session;

static char *debuginfo_path;
static const Dwfl_Callbacks callbacks = {
    .find_elf = dwfl_linux_proc_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .debuginfo_path = &debuginfo_path,
};

/* A session over the modules mapped now, or NULL. */
static Dwfl *open_session(void)
{
    Dwfl *d = dwfl_begin(&callbacks);
    if (d == NULL)
        return NULL;
    if (dwfl_linux_proc_report(d, getpid()) != 0 || dwfl_report_end(d, NULL, NULL) != 0) {
        dwfl_end(d);
        return NULL;
    }
    return d;
}

static bool reopened; /* since go__symbols_begin: an address in no module reopens once only */

static Dwfl_Module *module_of(uintptr_t pc)
{
    Dwfl_Module *m = session != NULL ? dwfl_addrmodule(session, pc) : NULL;
    if (m == NULL && !reopened) {
        reopened = true;
        if (session != NULL)
            dwfl_end(session);
        session = open_session();
        m = session != NULL ? dwfl_addrmodule(session, pc) : NULL;
    }
    return m;
}

/* The lock is hidden from ThreadSanitizer, as the list of goroutines' is (runtime.h): two
 * goroutines writing profiles must not look synchronised by it. */
void go__symbols_begin(void)
{
    GO__TSAN_HIDE_BEGIN();
    pthread_mutex_lock(&session_lock);
    reopened = false;
}

void go__symbols_end(void)
{
    pthread_mutex_unlock(&session_lock);
    GO__TSAN_HIDE_END();
}

/* The outermost inlined call that holds pc, among the children of `die` (which holds pc): the
 * DIEs of a function go from the function to the blocks and inlined calls inside it. */
static bool outermost_inlined(Dwarf_Die *die, Dwarf_Addr pc, Dwarf_Die *found)
{
    Dwarf_Die child;
    if (dwarf_child(die, &child) != 0)
        return false;
    do {
        int tag = dwarf_tag(&child);
        bool holds_code = tag == DW_TAG_inlined_subroutine || tag == DW_TAG_subprogram ||
                          tag == DW_TAG_lexical_block;
        if (holds_code && dwarf_haspc(&child, pc) == 1) {
            if (tag == DW_TAG_inlined_subroutine) {
                *found = child;
                return true;
            }
            return outermost_inlined(&child, pc, found);
        }
    } while (dwarf_siblingof(&child, &child) == 0);
    return false;
}

/* The compilation unit that holds pc (and the module's bias in *bias), or NULL. libdw 0.188
 * finds it through .debug_aranges, which clang does not write: then it is looked for among all
 * the module's units. */
static Dwarf_Die *unit_of(Dwfl_Module *m, uintptr_t pc, Dwarf_Addr *bias)
{
    Dwarf_Die *cu = dwfl_module_addrdie(m, pc, bias);
    if (cu != NULL)
        return cu;
    while ((cu = dwfl_module_nextcu(m, cu, bias)) != NULL)
        if (dwarf_haspc(cu, pc - *bias) == 1)
            return cu;
    return NULL;
}

/* Where pc's function itself is, when pc is in code inlined into it: the call of the outermost
 * inlined function (DW_AT_call_file and _line), so that the line is one of the function named,
 * not of a header it inlined. Returns false when pc is not in inlined code. */
static bool outer_call_site(Dwarf_Die *cu, Dwarf_Addr pc, go__symbol *s)
{
    Dwarf_Die call;
    Dwarf_Attribute attr;
    Dwarf_Word file, line;
    Dwarf_Files *files;
    size_t nfiles;
    if (!outermost_inlined(cu, pc, &call) ||
        dwarf_formudata(dwarf_attr(&call, DW_AT_call_file, &attr), &file) != 0 ||
        dwarf_formudata(dwarf_attr(&call, DW_AT_call_line, &attr), &line) != 0 ||
        dwarf_getsrcfiles(cu, &files, &nfiles) != 0 || file >= nfiles)
        return false;
    s->file = dwarf_filesrc(files, file, NULL, NULL);
    s->line = (int)line;
    return s->file != NULL;
}

bool go__symbolize(uintptr_t pc, go__symbol *s)
{
    *s = (go__symbol){NULL, 0, NULL, 0};
    Dwfl_Module *m = module_of(pc);
    if (m == NULL)
        return false;
    GElf_Off offset = 0;
    GElf_Sym sym;
    s->func = dwfl_module_addrinfo(m, pc, &offset, &sym, NULL, NULL, NULL);
    s->offset = (uintptr_t)offset;
    Dwarf_Addr bias;
    Dwarf_Die *cu = unit_of(m, pc, &bias);
    if (cu != NULL && !outer_call_site(cu, pc - bias, s)) {
        Dwarf_Line *line = dwarf_getsrc_die(cu, pc - bias);
        if (line != NULL && dwarf_lineno(line, &s->line) == 0)
            s->file = dwarf_linesrc(line, NULL, NULL);
    }
    return s->func != NULL;
}

#else

void go__symbols_begin(void) {}
void go__symbols_end(void) {}

bool go__symbolize(uintptr_t pc, go__symbol *s)
{
    (void)pc;
    *s = (go__symbol){NULL, 0, NULL, 0};
    return false;
}

#endif
