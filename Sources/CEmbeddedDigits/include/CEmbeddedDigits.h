// The embedded digits' .npy files compiled into the binary, so a copied `laminar` needs no
// resource folder beside it. EmbeddedDigits.c is generated from digits/*.npy by generate.sh.
#include <stddef.h>

typedef struct {
  const unsigned char *bytes;
  size_t count;
} laminar_embedded_file;

laminar_embedded_file laminar_digits_train_x(void);
laminar_embedded_file laminar_digits_val_x(void);
