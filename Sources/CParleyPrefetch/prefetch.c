// The module's only function is inline in include/parley_prefetch.h; SwiftPM needs one source file.
#include "parley_prefetch.h"
