// libFuzzer's entry for programs with their own main (llvm.org/docs/LibFuzzer.html, "Using
// LibFuzzerRunDriver"). Declared only: the symbol comes from libFuzzer, linked by -sanitize=fuzzer.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*test)(const uint8_t *data, size_t size));
