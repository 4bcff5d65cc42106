// zlib as it is: Swift imports its functions directly. libpng links it itself; the Graphics tests
// call its crc32 and compress to forge damaged PNGs chunk by chunk.
#include <zlib.h>
