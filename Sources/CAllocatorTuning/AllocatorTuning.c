// Tunes glibc's allocator for a short batch run (`check`, `route`, `fmt`, ...) before any
// Swift code or thread starts: docs/benchmarks.md, "Scale", has the measurements.
//
// A `check` of a 2 MB config allocates about 40 MiB in a few tens of milliseconds on two
// threads and then exits without freeing it. With glibc's defaults a quarter of that time
// was the kernel's: the second thread grows an arena of its own by many small mprotect
// calls, the main heap grows by 132 KiB brk steps and gives memory back on each large
// free, arrays past 128 KiB get mmap'd pages of their own, and every 4 KiB page is a
// fault. Here every thread shares the main heap, which grows in 64 MiB steps, keeps what
// it has, holds large arrays too, and asks for transparent huge pages, so a 2 MiB region
// costs one fault. These are the same settings as the GLIBC_TUNABLES
// glibc.malloc.arena_max=1, top_pad, trim_threshold, mmap_threshold and hugetlb=1, set
// here because a tunable must be in the environment before the process starts.
//
// The language server is left alone: it runs for hours, and there glibc's defaults,
// which give freed memory back, fit better than a heap that only grows. So is every
// process when DIDDY_MESH_ALLOCATOR=system, to compare the two.
//
// Everything here is advice to the C library and the kernel: a setting or madvise that
// fails changes speed and memory use, never behaviour.

#include "AllocatorTuning.h"

// Any C library header defines __GLIBC__ when the library is glibc.
#include <stdlib.h>

#if defined(__linux__) && defined(__GLIBC__)
#include <malloc.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int applied = 0;

enum {
    heap_step = 64 << 20,
    keep_below = 256 << 20,
    // glibc's largest mmap threshold on 64-bit systems (HEAP_MAX_SIZE / 2).
    mmap_from = 32 << 20,
    huge_page = 2 << 20,
    // More than the few hundred KiB the loader and C++ start-up leave in the heap.
    grow_probe = 16 << 20,
};

/// Whether the command line runs the language server: its first argument that is not
/// an option is `lsp`.
static int runs_language_server(int argc, char **argv) {
    for (int index = 1; index < argc && argv != NULL && argv[index] != NULL; index++) {
        if (argv[index][0] == '-') continue;
        return strcmp(argv[index], "lsp") == 0;
    }
    return 0;
}

/// Grows the main heap by one step and asks for transparent huge pages on what it added.
/// The heap grows by brk, so what lies between the break before and after an allocation
/// larger than the heap's start-up space is heap; only whole 2 MiB pages inside it are
/// advised. The allocation is below the mmap threshold, so it comes from the heap, and
/// freeing it keeps the space there (the trim threshold is above it).
static int advise_huge_pages(void) {
    uintptr_t before = (uintptr_t)sbrk(0);
    // volatile, or the compiler drops an allocation that is freed unused.
    void *volatile probe = malloc(grow_probe);
    free(probe);
    uintptr_t after = (uintptr_t)sbrk(0);
    if (before == (uintptr_t)-1 || after == (uintptr_t)-1 || after <= before) return 0;
    uintptr_t start = (before + huge_page - 1) & ~(uintptr_t)(huge_page - 1);
    uintptr_t end = after & ~(uintptr_t)(huge_page - 1);
    if (end <= start) return 0;
    return madvise((void *)start, end - start, MADV_HUGEPAGE) == 0;
}

// glibc passes the program's arguments to the functions of .init_array.
__attribute__((constructor)) static void diddy_mesh_tune_allocator(int argc, char **argv, char **envp) {
    (void)envp;
    const char *choice = getenv("DIDDY_MESH_ALLOCATOR");
    if (choice != NULL && strcmp(choice, "system") == 0) return;
    if (runs_language_server(argc, argv)) return;
    // Order matters: the trim threshold before anything is freed, the top pad before the
    // heap grows, and one arena before a second thread allocates.
    mallopt(M_ARENA_MAX, 1);
    mallopt(M_TRIM_THRESHOLD, keep_below);
    mallopt(M_MMAP_THRESHOLD, mmap_from);
    mallopt(M_TOP_PAD, heap_step);
    applied = advise_huge_pages() ? 2 : 1;
}

int diddy_mesh_allocator_tuning(void) { return applied; }

#else

int diddy_mesh_allocator_tuning(void) { return 0; }

#endif
