#ifndef DIDDY_MESH_ALLOCATOR_TUNING_H
#define DIDDY_MESH_ALLOCATOR_TUNING_H

/// What the allocator tuning did when the process started: 0 when it left the C
/// library's defaults (not glibc, the `lsp` command, or DIDDY_MESH_ALLOCATOR=system),
/// 1 when it tuned the allocator for a short batch run, 2 when the heap also asked for
/// transparent huge pages.
int diddy_mesh_allocator_tuning(void);

#endif
