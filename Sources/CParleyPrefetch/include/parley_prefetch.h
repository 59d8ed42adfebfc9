#ifndef PARLEY_PREFETCH_H
#define PARLEY_PREFETCH_H

/// Asks the processor to start loading the cache line at `address` without waiting for it.
/// Swift has no prefetch intrinsic; the syntax models use this to start the table lookups of one
/// parse while scoring another, so cache misses overlap with work instead of stalling it.
static inline void parley_prefetch(const void *address) {
#if defined(__GNUC__) || defined(__clang__)
  __builtin_prefetch(address, 0, 3);
#else
  (void)address;
#endif
}

#endif
