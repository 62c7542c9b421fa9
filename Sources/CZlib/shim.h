// zlib: inflate for zip members (deflate, method 8) and CRC-32 for zip entries
// (long runs by crc32_fold.h).
// zlib's init functions are macros; they are wrapped as functions for Swift.
#ifndef TENSH_CZLIB_SHIM_H
#define TENSH_CZLIB_SHIM_H
#include <zlib.h>
#include "crc32_fold.h"

/// A raw deflate stream (no zlib header), as zip members store it.
static inline int tensh_inflate_init_raw(z_stream *stream) {
    return inflateInit2(stream, -MAX_WBITS);
}

#endif
