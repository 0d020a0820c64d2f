/**
 * The least byte capacity the CLI asks for each per-object column of a
 * large dump (DumpBuilderOptions.minColumnBytes): 33 MiB, above glibc's
 * largest dynamic mmap threshold (32 MiB on 64-bit).
 *
 * Why: glibc serves an allocation below its mmap threshold from its heap,
 * and raises the threshold to the size of each mapped block that is freed
 * (up to 32 MiB). Once the first dump's columns were freed, the next dump's
 * columns (4-31 MB each) came from the heap: calloc cleared their whole
 * capacity, and once freed they stayed resident in the heap beside the next
 * parse. Measured on the three ~1 GB bench dumps, the 3-dump diff peaked at
 * 301-308 MiB with columns sized to their rows and at 270-288 MiB with this
 * reserve (MALLOC_MMAP_THRESHOLD_=4194304, which a process cannot set for
 * itself, gave 268 MiB). Above the threshold each column is a mapping of
 * its own: the capacity past its rows is never touched, so it costs address
 * space and no memory, and dropping the dump unmaps it at once.
 */
export const COLUMN_RESERVE_BYTES = 33 * 1024 * 1024;
