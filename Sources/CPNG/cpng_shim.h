// libpng reports errors by longjmp, which must never unwind Swift frames. Writing uses the simplified
// API (it catches its own longjmp inside libpng); reading goes through the cpng_ helpers below, which
// keep every setjmp, libpng call and longjmp inside C and return -1 with the message instead.
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

/// The largest file `png_image_write_to_memory` can produce for `image` (a macro Swift cannot
/// import), so the image is compressed once into a buffer of this size.
static inline png_alloc_size_t cpng_size_max(const png_image *image) { return PNG_IMAGE_PNG_SIZE_MAX(*image); }

/// A PNG being decoded from memory. Zero-initialize it, call `cpng_read_header`, then
/// `cpng_read_image`; always finish with `cpng_destroy`.
typedef struct {
  png_structp png;
  png_infop info;
  const unsigned char *data;
  size_t size;
  size_t offset;
  /// Set by `cpng_read_header`: the decoded size, 8-bit samples per pixel (1–4), interlace passes.
  unsigned width, height, channels;
  int passes;
  /// libpng's (or the reader's) message after a helper returned -1, and libpng's last warning.
  char message[160];
  char warning[160];
} cpng_decoder;

static inline void cpng_error(png_structp png, png_const_charp message) {
  cpng_decoder *decoder = (cpng_decoder *)png_get_error_ptr(png);
  snprintf(decoder->message, sizeof decoder->message, "%s", message);
  png_longjmp(png, 1);
}

static inline void cpng_warning(png_structp png, png_const_charp message) {
  // Kept instead of printed to stderr: alone a warning (a damaged ancillary chunk) does not stop
  // decoding, but it often says what an error means ("Invalid bit depth" before "Invalid IHDR data").
  cpng_decoder *decoder = (cpng_decoder *)png_get_error_ptr(png);
  snprintf(decoder->warning, sizeof decoder->warning, "%s", message);
}

static inline void cpng_read_bytes(png_structp png, png_bytep out, size_t count) {
  cpng_decoder *decoder = (cpng_decoder *)png_get_io_ptr(png);
  if (count > decoder->size - decoder->offset) png_error(png, "the file ends early; it is truncated");
  memcpy(out, decoder->data + decoder->offset, count);
  decoder->offset += count;
}

/// Reads the chunks before the image data and asks libpng for 8-bit rows of the stored levels:
/// low-bit gray scaled to 0…255, 16-bit samples reduced to their high byte, palettes expanded to RGB
/// (RGBA with tRNS), interlacing undone. No gamma correction. 0 on success, -1 with `message` set.
static inline int cpng_read_header(cpng_decoder *decoder, const unsigned char *data, size_t size) {
  decoder->data = data;
  decoder->size = size;
  decoder->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, decoder, cpng_error, cpng_warning);
  if (decoder->png != NULL) decoder->info = png_create_info_struct(decoder->png);
  if (decoder->info == NULL) {
    snprintf(decoder->message, sizeof decoder->message, "out of memory starting libpng");
    return -1;
  }
  if (setjmp(png_jmpbuf(decoder->png))) return -1;
  png_structp png = decoder->png;
  png_set_read_fn(png, decoder, cpng_read_bytes);
  png_read_info(png, decoder->info);
  // The high byte is v / 256, the floor division ImageLevels uses when it merges levels.
  png_set_strip_16(png);
  if (png_get_color_type(png, decoder->info) == PNG_COLOR_TYPE_PALETTE) {
    png_set_palette_to_rgb(png);
  } else {
    // Expands only sub-byte gray; tRNS of gray and RGB images stays ignored (no alpha channel).
    png_set_expand_gray_1_2_4_to_8(png);
  }
  decoder->passes = png_set_interlace_handling(png);
  png_read_update_info(png, decoder->info);
  decoder->width = png_get_image_width(png, decoder->info);
  decoder->height = png_get_image_height(png, decoder->info);
  decoder->channels = png_get_channels(png, decoder->info);
  return 0;
}

/// Decodes the rows into `pixels` ([height, width, channels]) and reads the remaining chunks up to
/// IEND, so a truncated or damaged tail is reported too. 0 on success, -1 with `message` set.
static inline int cpng_read_image(cpng_decoder *decoder, unsigned char *pixels) {
  if (setjmp(png_jmpbuf(decoder->png))) return -1;
  size_t stride = (size_t)decoder->width * decoder->channels;
  // Each interlace pass fills in its own pixels of every row, keeping the earlier passes' pixels.
  for (int pass = 0; pass < decoder->passes; pass++) {
    for (unsigned y = 0; y < decoder->height; y++) png_read_row(decoder->png, pixels + y * stride, NULL);
  }
  png_read_end(decoder->png, NULL);
  return 0;
}

static inline void cpng_destroy(cpng_decoder *decoder) {
  png_destroy_read_struct(&decoder->png, &decoder->info, NULL);
}
